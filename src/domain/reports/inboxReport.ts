import { selectInboxReport, type ReportGroupBy, type ReportRow } from '../../db/sql/selectInboxReport.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError, type FieldIssue } from '../errors.js';
import { isUuid } from '../ids.js';

export type { ReportGroupBy };

export const REPORT_GROUP_BYS = ['day', 'week', 'staff', 'location', 'channel'] as const satisfies readonly ReportGroupBy[];
export const REPORT_CHANNELS = ['sms', 'email', 'voice'] as const;
/** Longest range a report covers (from and to inclusive). */
export const REPORT_MAX_DAYS = 366;
/** Most ids or channels a filter takes. */
export const REPORT_MAX_FILTER = 100;

export interface InboxReportFilters {
  locationIds?: readonly string[] | null;
  channels?: readonly string[] | null;
  staffIds?: readonly string[] | null;
}

export interface InboxReportInput {
  businessId: string;
  /** Local dates (YYYY-MM-DD) in the business's time zone, both inclusive. */
  from: string;
  to: string;
  groupBy: ReportGroupBy;
  filters?: InboxReportFilters | null;
}

/** Durations in seconds over `count` cases; null percentiles when there is none. */
export interface DurationStats {
  count: number;
  p50: number | null;
  p90: number | null;
}

export interface InboxReportFigures {
  conversationsOpened: number;
  messagesIn: number;
  messagesOut: number;
  firstResponse: DurationStats;
  response: DurationStats;
  resolution: DurationStats;
}

export interface InboxReportGroup extends InboxReportFigures {
  /** day/week: the local date (a week: its Monday); staff, location: the id (null: no staff member); channel: sms, email or voice. */
  key: string | null;
}

export interface InboxReport {
  businessId: string;
  timeZone: string;
  from: string;
  to: string;
  groupBy: ReportGroupBy;
  /** Groups with at least one figure, by key (null last). */
  groups: InboxReportGroup[];
  totals: InboxReportFigures;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(value: string, field: string, issues: FieldIssue[]): number | null {
  const m = DATE.exec(value);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value) {
    issues.push({ type: 'date_parsing', loc: [field], msg: 'A date as YYYY-MM-DD (a day in the business time zone)', input: value });
    return null;
  }
  return t;
}

function checkList(values: readonly string[] | null | undefined, field: string, issues: FieldIssue[], valid: (v: string) => boolean, what: string): string[] | null {
  if (values == null || values.length === 0) return null;
  if (values.length > REPORT_MAX_FILTER) issues.push({ type: 'too_long', loc: ['filters', field], msg: `At most ${REPORT_MAX_FILTER} values` });
  values.forEach((v, i) => {
    if (!valid(v)) issues.push({ type: 'value_error', loc: ['filters', field, i], msg: what, input: v });
  });
  return [...new Set(values)];
}

function emptyFigures(): InboxReportFigures {
  return { conversationsOpened: 0, messagesIn: 0, messagesOut: 0, firstResponse: none(), response: none(), resolution: none() };
}
const none = (): DurationStats => ({ count: 0, p50: null, p90: null });

function apply(figures: InboxReportFigures, row: ReportRow): void {
  const stats = { count: row.n, p50: row.p50, p90: row.p90 };
  switch (row.metric) {
    case 'opened':
      figures.conversationsOpened = row.n;
      break;
    case 'in':
      figures.messagesIn = row.n;
      break;
    case 'out':
      figures.messagesOut = row.n;
      break;
    case 'first_response':
      figures.firstResponse = stats;
      break;
    case 'response':
      figures.response = stats;
      break;
    case 'resolution':
      figures.resolution = stats;
      break;
  }
}

/**
 * The inbox report of a business over local days [from, to] (README "Reports" has the
 * definitions): conversations opened, messages in and out, first response, response and
 * resolution times (p50, p90, in seconds), per group and in total, from the report facts that
 * the message append and the status history write. Ranges: to >= from, at most 366 days.
 */
export async function inboxReport(deps: Deps, input: InboxReportInput): Promise<InboxReport> {
  const issues: FieldIssue[] = [];
  const from = parseDate(input.from, 'from', issues);
  const to = parseDate(input.to, 'to', issues);
  if (from !== null && to !== null) {
    if (to < from) issues.push({ type: 'value_error', loc: ['to'], msg: 'to is before from', input: input.to });
    else if ((to - from) / 86_400_000 + 1 > REPORT_MAX_DAYS) issues.push({ type: 'value_error', loc: ['to'], msg: `A report covers at most ${REPORT_MAX_DAYS} days`, input: input.to });
  }
  if (!(REPORT_GROUP_BYS as readonly string[]).includes(input.groupBy)) issues.push({ type: 'enum', loc: ['groupBy'], msg: `One of ${REPORT_GROUP_BYS.join(', ')}`, input: input.groupBy });
  const f = input.filters ?? {};
  const locationIds = checkList(f.locationIds, 'locationIds', issues, isUuid, 'A location id (UUID)');
  const channels = checkList(f.channels, 'channels', issues, (v) => (REPORT_CHANNELS as readonly string[]).includes(v), `One of ${REPORT_CHANNELS.join(', ')}`);
  const staffIds = checkList(f.staffIds, 'staffIds', issues, isUuid, 'A staff id (UUID)');
  if (issues.length) throw new ValidationError(issues);

  const business = await deps.prisma.business.findUnique({ where: { id: input.businessId }, select: { timeZone: true } });
  if (!business) throw new NotFoundError('BUSINESS_NOT_FOUND', `No business with id ${JSON.stringify(input.businessId)}.`);

  const rows = await selectInboxReport(deps.sql, {
    businessId: input.businessId,
    timeZone: business.timeZone,
    from: input.from,
    to: input.to,
    groupBy: input.groupBy,
    locationIds,
    channels,
    staffIds,
  });
  const totals = emptyFigures();
  const groups = new Map<string | null, InboxReportGroup>();
  for (const row of rows) {
    if (row.total) {
      apply(totals, row);
      continue;
    }
    let g = groups.get(row.key);
    if (!g) groups.set(row.key, (g = { key: row.key, ...emptyFigures() }));
    apply(g, row);
  }
  const sorted = [...groups.values()].sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { businessId: input.businessId, timeZone: business.timeZone, from: input.from, to: input.to, groupBy: input.groupBy, groups: sorted, totals };
}
