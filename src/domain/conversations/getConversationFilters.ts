import { selectConversationFacets } from '../../db/sql/selectConversationFacets.js';
import { getBusiness } from '../businesses/getBusiness.js';
import type { Deps } from '../deps.js';

export interface FilterOption {
  value: string | null;
  label: string;
  count: number;
}

export interface ConversationFilters {
  views: FilterOption[];
  assignees: FilterOption[];
  channels: FilterOption[];
  locations: FilterOption[];
  clientTypes: FilterOption[];
  clientGroups: FilterOption[];
  dateRange: { from: Date | null; to: Date | null };
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
};

/** The filters an inbox list accepts, each option with how many conversations it would show. */
export async function getConversationFilters(deps: Deps, businessId: string): Promise<ConversationFilters> {
  const [, facets, staff, locations] = await Promise.all([
    getBusiness(deps, businessId, { select: { id: true } }),
    selectConversationFacets(deps.sql, businessId),
    deps.prisma.staff.findMany({ where: { businessId }, select: { id: true, firstName: true, lastName: true, active: true }, orderBy: [{ firstName: 'asc' }, { id: 'asc' }] }),
    deps.prisma.location.findMany({ where: { businessId }, select: { id: true, name: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  ]);
  const count = (facet: string, value: string | null) => facets.facets.find((f) => f.facet === facet && f.value === value)?.count ?? 0;
  const of = (facet: string) => facets.facets.filter((f) => f.facet === facet);
  return {
    views: Object.entries(VIEW_LABELS).map(([value, label]) => ({ value, label, count: count('view', value) })),
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
    dateRange: { from: facets.from, to: facets.to },
  };
}
