import { selectConversationFacets, selectStaffViewCounts } from '../../db/sql/selectConversationFacets.js';
import { actingStaffId, type Principal } from '../auth/principal.js';
import { getBusiness } from '../businesses/getBusiness.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { assertOptionalUuid } from '../ids.js';

export interface FilterOption {
  value: string | null;
  label: string;
  count: number;
  /** Views, with a viewer: how many of the view's conversations are unread for that staff member (mentions: unread mentions). */
  unreadCount?: number | null;
  /** Labels: the label's colour. */
  color?: string;
}

export interface ConversationFilters {
  views: FilterOption[];
  assignees: FilterOption[];
  channels: FilterOption[];
  locations: FilterOption[];
  clientTypes: FilterOption[];
  clientGroups: FilterOption[];
  /** Every label of the business, by name, with its conversations (not archived). */
  labels: FilterOption[];
  dateRange: { from: Date | null; to: Date | null };
  /** The staff member the per-staff counts are for (a session's own; an API key's viewerStaffId), or null. */
  viewerStaffId: string | null;
}

const VIEW_LABELS: Record<string, string> = {
  inbox: 'Inbox',
  open: 'Open',
  snoozed: 'Snoozed',
  archived: 'Archived',
  unread: 'Unread',
  read: 'Read',
  replied: 'Replied',
  unreplied: 'Awaiting reply',
  all: 'All',
  mentions: 'Mentions',
};

/**
 * The filters an inbox list accepts, each option with how many conversations it would show. With a
 * viewer (a session's staff member, or `viewerStaffId` with an API key), each view also says how
 * many of its conversations that staff member has not read, and the mentions view is counted.
 */
export async function getConversationFilters(deps: Deps, businessId: string, viewer: { principal?: Principal | null; viewerStaffId?: string | null } = {}): Promise<ConversationFilters> {
  assertOptionalUuid(viewer.viewerStaffId, ['viewerStaffId']);
  const staffId = actingStaffId(viewer.principal ?? null, viewer.viewerStaffId);
  const [, facets, staff, locations, labels, mine] = await Promise.all([
    getBusiness(deps, businessId, { select: { id: true } }),
    selectConversationFacets(deps.sql, businessId),
    deps.prisma.staff.findMany({ where: { businessId }, select: { id: true, firstName: true, lastName: true, active: true }, orderBy: [{ firstName: 'asc' }, { id: 'asc' }] }),
    deps.prisma.location.findMany({ where: { businessId }, select: { id: true, name: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    deps.prisma.label.findMany({ where: { businessId }, select: { id: true, name: true, color: true } }),
    staffId ? selectStaffViewCounts(deps.sql, businessId, staffId) : null,
  ]);
  if (staffId && !staff.some((s) => s.id === staffId)) throw new NotFoundError('STAFF_NOT_FOUND', `No staff member ${staffId} in business ${JSON.stringify(businessId)}.`);
  const count = (facet: string, value: string | null) => facets.facets.find((f) => f.facet === facet && f.value === value)?.count ?? 0;
  const of = (facet: string) => facets.facets.filter((f) => f.facet === facet);
  return {
    views: Object.entries(VIEW_LABELS).map(([value, label]) =>
      value === 'mentions'
        ? { value, label, count: mine?.mentions ?? 0, unreadCount: mine ? mine.unreadMentions : null }
        : { value, label, count: count('view', value), unreadCount: mine ? (mine.unread[value] ?? 0) : null },
    ),
    assignees: [
      { value: null, label: 'Unassigned', count: count('assignee', null) },
      ...staff.filter((s) => s.active || count('assignee', s.id) > 0).map((s) => ({ value: s.id, label: [s.firstName, s.lastName].filter(Boolean).join(' '), count: count('assignee', s.id) })),
    ],
    channels: (['sms', 'email', 'voice', 'note'] as const).map((c) => ({ value: c, label: { sms: 'SMS', email: 'Email', voice: 'Voice', note: 'Notes' }[c], count: count('channel', c) })),
    locations: locations.map((l) => ({ value: l.id, label: l.name, count: count('location', l.id) })),
    clientTypes: of('client_type')
      .map((f) => ({ value: f.value, label: f.value ?? '', count: f.count }))
      .sort((a, b) => b.count - a.count),
    clientGroups: of('client_group')
      .map((f) => ({ value: f.value, label: f.value ?? '', count: f.count }))
      .sort((a, b) => b.count - a.count),
    labels: labels
      .map((l) => ({ value: l.id, label: l.name, color: l.color, count: count('label', l.id) }))
      .sort((a, b) => a.label.toLowerCase().localeCompare(b.label.toLowerCase()) || a.value.localeCompare(b.value)),
    dateRange: { from: facets.from, to: facets.to },
    viewerStaffId: staffId,
  };
}
