// The conversation list kept live from inbox events, without refetching: each event carries the
// conversation as it is now, so the list upserts it when it (still) matches the view's filter and
// removes it when it no longer does, then sorts as the API does (pinned first, then last activity,
// then id, all descending; Mentions is the exception, see placesRows). Events that arrive while a
// page loads are held back and applied over it when it comes (receivePage). Pure: unit-tested in
// listModel.test.ts.
import type { ConversationFilterInput, ConversationListFieldsFragment } from '../gql/graphql';

export type Row = ConversationListFieldsFragment;

/** Whether a conversation is in a list: yes, no, or unknown (the filter needs what the row lacks). */
export type Match = 'yes' | 'no' | 'unknown';

export interface MatchContext {
  /** The signed-in staff member (mentions). */
  staffId: string;
  /** The event's message, when it brought one (channel and mentions are learned from it). */
  message?: { channel: string; mentionStaffIds: readonly string[] } | null;
}

/** Does `row` belong in the list of `filter`, as far as the row (and the event's message) tell? */
export function matchesFilter(row: Row, filter: ConversationFilterInput, ctx: MatchContext): Match {
  let unknown = false;
  const archived = row.status === 'archived';
  switch (filter.view ?? 'inbox') {
    case 'inbox':
      if (archived) return 'no';
      break;
    case 'all':
      break;
    case 'open':
    case 'snoozed':
    case 'archived':
      if (row.status !== filter.view) return 'no';
      break;
    case 'unread':
      if (archived || row.unreadCount <= 0) return 'no';
      break;
    case 'read':
      if (archived || row.unreadCount > 0) return 'no';
      break;
    case 'replied':
      if (archived || row.lastMessageDirection !== 'outbound') return 'no';
      break;
    case 'unreplied':
      if (archived || row.lastMessageDirection !== 'inbound') return 'no';
      break;
    case 'mentions':
      if (archived) return 'no';
      if (!(ctx.message?.channel === 'note' && ctx.message.mentionStaffIds.includes(filter.viewerStaffId ?? ctx.staffId))) unknown = true;
      break;
  }
  if (filter.unassigned && row.assignee) return 'no';
  if (!filter.unassigned && filter.assigneeId && row.assignee?.staffId !== filter.assigneeId) return 'no';
  if (filter.locationId && row.location.locationId !== filter.locationId) return 'no';
  if (filter.clientId && row.client.clientId !== filter.clientId) return 'no';
  if (filter.pinned !== undefined && filter.pinned !== null && row.pinned !== filter.pinned) return 'no';
  if (filter.from && Date.parse(row.lastActivityAt) < Date.parse(filter.from)) return 'no';
  if (filter.to && Date.parse(row.lastActivityAt) >= Date.parse(filter.to)) return 'no';
  if (filter.clientType && row.client.type !== filter.clientType) return 'no';
  if (filter.clientGroup && !row.client.groups.includes(filter.clientGroup)) return 'no';
  if (filter.labelIds?.length) {
    const ids = new Set(row.labels.map((l) => l.id));
    const ok = filter.labelMatch === 'all' ? filter.labelIds.every((id) => ids.has(id)) : filter.labelIds.some((id) => ids.has(id));
    if (!ok) return 'no';
  }
  if (filter.channel) {
    // "Has at least one message on this channel": known when the last message or the event's is on it.
    if (row.lastMessageChannel !== filter.channel && ctx.message?.channel !== filter.channel) unknown = true;
  }
  return unknown ? 'unknown' : 'yes';
}

/** API order: pinned first, then most recent activity, then id (all descending). Negative: a first. */
export function compareRows(a: Row, b: Row): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  const t = Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt);
  if (t !== 0) return t;
  return a.conversationId < b.conversationId ? 1 : a.conversationId > b.conversationId ? -1 : 0;
}

export interface ListState {
  rows: Row[];
  /** More pages after the last row (keyset: after its cursor). */
  hasMore: boolean;
  /** The cursor to load the next page after. */
  endCursor: string | null;
}

/**
 * The list after an event about `row`. When there are more pages, a row that would sort after the
 * last loaded one is not added (it will come with its page, where the API puts it).
 */
export function applyRow(state: ListState, row: Row, filter: ConversationFilterInput, ctx: MatchContext): ListState {
  const index = state.rows.findIndex((r) => r.conversationId === row.conversationId);
  const match = matchesFilter(row, filter, ctx);
  if (match === 'no' || (match === 'unknown' && index < 0)) {
    if (index < 0) return state;
    return { ...state, rows: state.rows.filter((_, i) => i !== index) };
  }
  const rest = index < 0 ? state.rows : state.rows.filter((_, i) => i !== index);
  const last = rest[rest.length - 1];
  if (index < 0 && state.hasMore && last && compareRows(row, last) > 0) return state;
  const at = rest.findIndex((r) => compareRows(row, r) < 0);
  const rows = at < 0 ? [...rest, row] : [...rest.slice(0, at), row, ...rest.slice(at)];
  return { ...state, rows };
}

/** Removes a conversation (deleted, or combined into another by a client merge). */
export function removeRow(state: ListState, conversationId: string): ListState {
  const rows = state.rows.filter((r) => r.conversationId !== conversationId);
  return rows.length === state.rows.length ? state : { ...state, rows };
}

/** Appends a loaded page, skipping rows already there (an event may have brought them first). */
export function appendPage(state: ListState, page: Row[], hasMore: boolean, endCursor: string | null): ListState {
  const have = new Set(state.rows.map((r) => r.conversationId));
  return { rows: [...state.rows, ...page.filter((r) => !have.has(r.conversationId))], hasMore, endCursor };
}

/** An inbox event, as the list sees it: a conversation as it is now, or one gone (deleted, merged). */
export type ListEvent = { type: 'row'; row: Row; ctx: MatchContext } | { type: 'remove'; id: string };

export function applyEvent(state: ListState, event: ListEvent, filter: ConversationFilterInput): ListState {
  if (event.type === 'remove') return removeRow(state, event.id);
  return placesRows(filter) ? applyRow(state, event.row, filter, event.ctx) : patchRow(state, event.row, filter, event.ctx);
}

/**
 * Whether the list can place an event's row itself. Not in Mentions: the API puts conversations
 * with an unread mention of the viewer first (src/db/sql/selectConversationPage.ts), and a row does
 * not say whether it has one (that needs the time of the viewer's latest mention, which no field
 * carries). There the list only updates or drops the rows it has (patchRow) and asks the API for its
 * loaded rows again, in the API's order (ConversationList.tsx: a debounced refresh).
 */
export function placesRows(filter: ConversationFilterInput): boolean {
  return filter.view !== 'mentions';
}

/** Updates a loaded row in place (no move), or drops it when it left the view; others are unchanged. */
export function patchRow(state: ListState, row: Row, filter: ConversationFilterInput, ctx: MatchContext): ListState {
  const index = state.rows.findIndex((r) => r.conversationId === row.conversationId);
  if (index < 0) return state;
  if (matchesFilter(row, filter, ctx) === 'no') return { ...state, rows: state.rows.filter((_, i) => i !== index) };
  return { ...state, rows: state.rows.map((r, i) => (i === index ? row : r)) };
}

/**
 * A page arrives, with the events received since it was asked for (the list holds them back while
 * a page loads). The page read the database before (some of) those events, so its rows may be older:
 * it is appended, then the events are applied in order over it. An event's row replaces the page's
 * (newer: it came after the request), a conversation that left the view is dropped, and one the page
 * did not have is placed in the view's order, or left for its own page when it sorts after the last
 * loaded row. Nothing lands above the first page before that page is here.
 */
export function receivePage(state: ListState, page: Row[], hasMore: boolean, endCursor: string | null, events: readonly ListEvent[], filter: ConversationFilterInput): ListState {
  return events.reduce((s, e) => applyEvent(s, e, filter), appendPage(state, page, hasMore, endCursor));
}

/** The row to move to with j/k (`delta` +1 / -1) from the open one; the first row when none is open. */
export function neighbour(rows: readonly Row[], currentId: string | null, delta: 1 | -1): Row | undefined {
  if (rows.length === 0) return undefined;
  const i = currentId ? rows.findIndex((r) => r.conversationId === currentId) : -1;
  if (i < 0) return rows[0];
  return rows[Math.max(0, Math.min(rows.length - 1, i + delta))];
}

/**
 * Whether a conversation is unread for a staff member, as the sidebar's counts define it (their
 * read position is behind an inbound message; none yet: any inbound message), and the number to
 * show (their own unread count, else the business's; 0: a dot without a number).
 */
export function unreadFor(row: Row, staffId: string): { unread: boolean; count: number } {
  const mine = row.readPositions.find((r) => r.staffId === staffId);
  if (mine && mine.unreadCount > 0) return { unread: true, count: mine.unreadCount };
  const inbound = row.lastInboundAt ? Date.parse(row.lastInboundAt) : null;
  const readAt = mine?.lastReadAt ? Date.parse(mine.lastReadAt) : null;
  const unread = inbound !== null && (readAt === null || readAt < inbound);
  return { unread, count: unread ? row.unreadCount : 0 };
}
