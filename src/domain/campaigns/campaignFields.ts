// The rules of a campaign's fields (create and update, GraphQL and REST alike), its view, and its errors.
import type { Campaign } from '../../generated/prisma/client.js';
import type { CampaignStatus } from '../../generated/prisma/enums.js';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../errors.js';
import { isUuid } from '../ids.js';
import { EMAIL_HTML_MAX, EMAIL_SUBJECT_MAX, EMAIL_TEXT_MAX, SMS_MAX_LENGTH, SMS_MAX_MEDIA } from '../sending/sendLimits.js';

export const MAX_CAMPAIGN_NAME_LENGTH = 200;
/** An explicit audience names at most this many clients. */
export const MAX_AUDIENCE_CLIENT_IDS = 10_000;
/** Each filter list holds at most this many values. */
export const MAX_FILTER_VALUES = 100;
export const MAX_FILTER_VALUE_LENGTH = 100;
/** A campaign may be scheduled at most this far ahead (as a send's send_at). */
export const MAX_CAMPAIGN_SCHEDULE_MS = 366 * 24 * 3600_000;

export type CampaignChannel = 'sms' | 'email';

/** Which clients a filter audience takes (every filter given must hold; none given: every client of the business). */
export interface CampaignFilters {
  /** The client's type is one of these. */
  clientTypes?: string[];
  /** The client is in at least one of these groups. */
  groups?: string[];
  /** One of the client's conversations has at least one of these labels. */
  labelIds?: string[];
  /** The client's home location is one of these. */
  homeLocationIds?: string[];
  /** The client's last message (any conversation, either direction) is before this time (never contacted: not taken). */
  lastContactBefore?: Date | null;
  /** ... or at or after this time. */
  lastContactAfter?: Date | null;
  /** Only clients who may receive the channel now (not opted out of SMS; email not suppressed). */
  optedInOnly?: boolean;
}

/** Exactly one of an explicit list of client ids or filters. */
export interface CampaignAudience {
  clientIds?: string[] | null;
  filters?: CampaignFilters | null;
}

export interface CampaignContent {
  /** SMS text, or an email's plain text. A template ({{client.first_name}}) when templateId is given. */
  body: string | null;
  subject: string | null;
  html: string | null;
  mediaUrls: string[];
}

/** The audience as stored (jsonb): dates as ISO text. */
export type StoredAudience = { clientIds: string[] } | { filters: Omit<CampaignFilters, 'lastContactBefore' | 'lastContactAfter'> & { lastContactBefore?: string; lastContactAfter?: string } };

export type CampaignRow = Campaign;

export interface CampaignView {
  id: string;
  businessId: string;
  name: string;
  channel: CampaignChannel;
  audience: CampaignAudience;
  content: CampaignContent;
  templateId: string | null;
  locationId: string | null;
  sendAt: Date | null;
  bypassQuietHours: boolean;
  status: CampaignStatus;
  audienceSize: number | null;
  lastError: string | null;
  startedAt: Date | null;
  pausedAt: Date | null;
  completedAt: Date | null;
  canceledAt: Date | null;
  createdByStaffId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export function toCampaignView(row: Campaign): CampaignView {
  return {
    id: row.id,
    businessId: row.businessId,
    name: row.name,
    channel: row.channel as CampaignChannel,
    audience: readAudience(row.audience),
    content: readContent(row.content),
    templateId: row.templateId,
    locationId: row.locationId,
    sendAt: row.sendAt,
    bypassQuietHours: row.bypassQuietHours,
    status: row.status,
    audienceSize: row.audienceSize,
    lastError: row.lastError,
    startedAt: row.startedAt,
    pausedAt: row.pausedAt,
    completedAt: row.completedAt,
    canceledAt: row.canceledAt,
    createdByStaffId: row.createdByStaffId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function readAudience(json: unknown): CampaignAudience {
  const a = (json ?? {}) as Record<string, unknown>;
  if (Array.isArray(a['clientIds'])) return { clientIds: strings(a['clientIds']) };
  const f = (a['filters'] ?? {}) as Record<string, unknown>;
  const date = (v: unknown) => (typeof v === 'string' ? new Date(v) : null);
  return {
    filters: {
      ...(f['clientTypes'] ? { clientTypes: strings(f['clientTypes']) } : {}),
      ...(f['groups'] ? { groups: strings(f['groups']) } : {}),
      ...(f['labelIds'] ? { labelIds: strings(f['labelIds']) } : {}),
      ...(f['homeLocationIds'] ? { homeLocationIds: strings(f['homeLocationIds']) } : {}),
      ...(f['lastContactBefore'] ? { lastContactBefore: date(f['lastContactBefore']) } : {}),
      ...(f['lastContactAfter'] ? { lastContactAfter: date(f['lastContactAfter']) } : {}),
      optedInOnly: f['optedInOnly'] === true,
    },
  };
}

function readContent(json: unknown): CampaignContent {
  const c = (json ?? {}) as Record<string, unknown>;
  const text = (k: string) => (typeof c[k] === 'string' ? c[k] : null);
  return { body: text('body'), subject: text('subject'), html: text('html'), mediaUrls: strings(c['mediaUrls']) };
}

/** The audience as stored, checked: exactly one of clientIds (1 to 10,000 uuids, duplicates dropped) or filters. */
export function checkAudience(audience: CampaignAudience, issues: FieldIssue[]): StoredAudience | null {
  const hasIds = audience.clientIds != null;
  const hasFilters = audience.filters != null;
  if (hasIds === hasFilters) {
    issues.push({ type: 'value_error', loc: ['audience'], msg: 'Give exactly one of audience.clientIds (an explicit list) or audience.filters' });
    return null;
  }
  if (hasIds) {
    const ids = audience.clientIds!;
    if (ids.length === 0) issues.push({ type: 'too_short', loc: ['audience', 'clientIds'], msg: 'Name at least one client' });
    if (ids.length > MAX_AUDIENCE_CLIENT_IDS) issues.push({ type: 'too_long', loc: ['audience', 'clientIds'], msg: `At most ${MAX_AUDIENCE_CLIENT_IDS} clients` });
    ids.forEach((id, i) => {
      if (!isUuid(id)) issues.push({ type: 'uuid_parsing', loc: ['audience', 'clientIds', i], msg: 'Not a client id (a UUID)', input: id });
    });
    return { clientIds: [...new Set(ids.map((id) => id.toLowerCase()))] };
  }
  const f = audience.filters!;
  const list = (key: 'clientTypes' | 'groups' | 'labelIds' | 'homeLocationIds', uuids: boolean): string[] | undefined => {
    const values = f[key];
    if (values == null) return undefined;
    if (values.length > MAX_FILTER_VALUES) issues.push({ type: 'too_long', loc: ['audience', 'filters', key], msg: `At most ${MAX_FILTER_VALUES} values` });
    values.forEach((v, i) => {
      if (uuids ? !isUuid(v) : v.length === 0 || v.length > MAX_FILTER_VALUE_LENGTH)
        issues.push({ type: 'value_error', loc: ['audience', 'filters', key, i], msg: uuids ? 'Not an id (a UUID)' : `1 to ${MAX_FILTER_VALUE_LENGTH} characters`, input: v });
    });
    return [...new Set(uuids ? values.map((v) => v.toLowerCase()) : values)];
  };
  const stored = {
    ...optionalList('clientTypes', list('clientTypes', false)),
    ...optionalList('groups', list('groups', false)),
    ...optionalList('labelIds', list('labelIds', true)),
    ...optionalList('homeLocationIds', list('homeLocationIds', true)),
    ...(f.lastContactBefore ? { lastContactBefore: f.lastContactBefore.toISOString() } : {}),
    ...(f.lastContactAfter ? { lastContactAfter: f.lastContactAfter.toISOString() } : {}),
    optedInOnly: f.optedInOnly === true,
  };
  if (f.lastContactBefore && f.lastContactAfter && f.lastContactBefore <= f.lastContactAfter) {
    issues.push({ type: 'value_error', loc: ['audience', 'filters', 'lastContactBefore'], msg: 'lastContactBefore must be later than lastContactAfter' });
  }
  return { filters: stored };
}

function optionalList<K extends string>(key: K, values: string[] | undefined): Partial<Record<K, string[]>> {
  return values === undefined ? {} : ({ [key]: values } as Record<K, string[]>);
}

/** The content as stored, checked against the channel's limits (a template's rendering is checked per recipient when it is sent). */
export function checkContent(channel: CampaignChannel, content: CampaignContent, templated: boolean, issues: FieldIssue[]): CampaignContent {
  const body = content.body ?? null;
  const subject = content.subject?.trim() || null;
  const html = content.html ?? null;
  const media = content.mediaUrls ?? [];
  if (channel === 'sms') {
    if (!templated && !body?.trim() && media.length === 0) issues.push({ type: 'missing', loc: ['content', 'body'], msg: 'An SMS campaign needs a body, media or a templateId' });
    if (body && body.length > SMS_MAX_LENGTH) issues.push({ type: 'string_too_long', loc: ['content', 'body'], msg: `At most ${SMS_MAX_LENGTH} characters` });
    if (media.length > SMS_MAX_MEDIA) issues.push({ type: 'too_long', loc: ['content', 'mediaUrls'], msg: `At most ${SMS_MAX_MEDIA} media URLs` });
    media.forEach((url, i) => {
      if (!/^https?:\/\/[^\s/]+\.[^\s]*$/i.test(url)) issues.push({ type: 'url_parsing', loc: ['content', 'mediaUrls', i], msg: 'Media must be a public http(s) URL', input: url });
    });
    if (subject || html) issues.push({ type: 'value_error', loc: ['content', subject ? 'subject' : 'html'], msg: 'An SMS campaign has no subject or html' });
  } else {
    if (!templated && !subject) issues.push({ type: 'missing', loc: ['content', 'subject'], msg: 'An email campaign needs a subject (or a templateId with one)' });
    if (subject && (subject.length > EMAIL_SUBJECT_MAX || /[\r\n]/.test(subject)))
      issues.push({ type: 'value_error', loc: ['content', 'subject'], msg: `One line of at most ${EMAIL_SUBJECT_MAX} characters` });
    if (!templated && !body?.trim() && !html?.trim()) issues.push({ type: 'missing', loc: ['content', 'body'], msg: 'An email campaign needs a body (text), html or a templateId' });
    if (body && body.length > EMAIL_TEXT_MAX) issues.push({ type: 'string_too_long', loc: ['content', 'body'], msg: `At most ${EMAIL_TEXT_MAX} characters` });
    if (html && html.length > EMAIL_HTML_MAX) issues.push({ type: 'string_too_long', loc: ['content', 'html'], msg: `At most ${EMAIL_HTML_MAX} characters` });
    if (media.length) issues.push({ type: 'value_error', loc: ['content', 'mediaUrls'], msg: 'An email campaign has no media' });
  }
  return { body, subject, html, mediaUrls: media };
}

export function checkName(name: string, issues: FieldIssue[]): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) issues.push({ type: 'string_too_short', loc: ['name'], msg: 'A campaign needs a name', input: name });
  else if ([...trimmed].length > MAX_CAMPAIGN_NAME_LENGTH) issues.push({ type: 'string_too_long', loc: ['name'], msg: `At most ${MAX_CAMPAIGN_NAME_LENGTH} characters`, input: name });
  // eslint-disable-next-line no-control-regex
  else if (/[\u0000-\u001f\u007f]/.test(trimmed)) issues.push({ type: 'value_error', loc: ['name'], msg: 'No control characters in a campaign name', input: name });
  return trimmed;
}

export function checkSendAt(sendAt: Date | null | undefined, now: Date, issues: FieldIssue[]): void {
  if (sendAt && sendAt.getTime() - now.getTime() > MAX_CAMPAIGN_SCHEDULE_MS) {
    issues.push({ type: 'value_error', loc: ['sendAt'], msg: 'sendAt may be at most 366 days ahead', input: sendAt.toISOString() });
  }
}

export function throwIssues(issues: FieldIssue[]): void {
  if (issues.length) throw new ValidationError(issues);
}

export function campaignNotFound(id: string, businessId: string): NotFoundError {
  return new NotFoundError('CAMPAIGN_NOT_FOUND', `No campaign ${id} in business ${JSON.stringify(businessId)}.`);
}

/**
 * 409 for a transition the campaign's status does not allow, with a stable code per operation:
 * CAMPAIGN_NOT_EDITABLE (update: only draft or scheduled), CAMPAIGN_NOT_DRAFT (delete),
 * CAMPAIGN_NOT_STARTABLE (start: draft or scheduled), CAMPAIGN_NOT_SENDING (pause),
 * CAMPAIGN_NOT_PAUSED (resume), CAMPAIGN_NOT_CANCELABLE (cancel: completed or canceled already).
 */
export function campaignConflict(code: string, id: string, status: CampaignStatus, wanted: string): ConflictError {
  return new ConflictError(code, `Campaign ${id} is ${status}: ${wanted}.`);
}
