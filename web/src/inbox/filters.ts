// The list's filters (location, channel, assignee, client type and group, date) as a value the
// sidebar's views combine with. Pure: unit-tested.
import type { Channel, ConversationFilterInput } from '../gql/graphql';

export type DateRange = 'any' | 'today' | '7d' | '30d';

export interface ListFilters {
  locationId?: string;
  channel?: Channel;
  /** A staff id, or 'none' for unassigned. */
  assignee?: string;
  clientType?: string;
  clientGroup?: string;
  date?: DateRange;
}

/** The API filter fields of the list's filters, at `now`. */
export function filterInput(filters: ListFilters, now: Date = new Date()): ConversationFilterInput {
  const input: ConversationFilterInput = {};
  if (filters.locationId) input.locationId = filters.locationId;
  if (filters.channel) input.channel = filters.channel;
  if (filters.assignee === 'none') input.unassigned = true;
  else if (filters.assignee) input.assigneeId = filters.assignee;
  if (filters.clientType) input.clientType = filters.clientType;
  if (filters.clientGroup) input.clientGroup = filters.clientGroup;
  if (filters.date && filters.date !== 'any') {
    const from = new Date(now);
    if (filters.date === 'today') from.setHours(0, 0, 0, 0);
    else from.setDate(from.getDate() - (filters.date === '7d' ? 7 : 30));
    input.from = from.toISOString();
  }
  return input;
}

export function activeFilterCount(filters: ListFilters): number {
  return Object.entries(filters).filter(([k, v]) => v !== undefined && v !== '' && !(k === 'date' && v === 'any')).length;
}

/** Text of a search snippet with its <mark>…</mark> parts marked; everything else is plain text. */
export function snippetParts(snippet: string): { text: string; mark: boolean }[] {
  const parts: { text: string; mark: boolean }[] = [];
  const re = /<mark>([\s\S]*?)<\/mark>/g;
  let last = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > last) parts.push({ text: snippet.slice(last, m.index), mark: false });
    parts.push({ text: m[1] ?? '', mark: true });
    last = m.index + m[0].length;
  }
  if (last < snippet.length) parts.push({ text: snippet.slice(last), mark: false });
  return parts;
}
