import { describe, expect, it } from 'vitest';
import type { ConversationFilterInput } from '../gql/graphql';
import { appendPage, applyEvent, applyRow, compareRows, matchesFilter, neighbour, patchRow, receivePage, removeRow, unreadFor, type ListEvent, type ListState, type Row } from './listModel';

const ME = 'staff-me';

function row(id: string, patch: Partial<Row> = {}): Row {
  return {
    __typename: 'Conversation',
    id: `gid-${id}`,
    conversationId: id,
    status: 'open',
    pinned: false,
    muted: false,
    snoozedUntil: null,
    unreadCount: 0,
    replied: false,
    lastActivityAt: '2026-12-01T10:00:00.000Z',
    lastMessageAt: null,
    lastInboundAt: null,
    lastMessageChannel: 'sms',
    lastMessageDirection: 'inbound',
    lastMessagePreview: 'hi',
    updatedAt: '2026-12-01T10:00:00.000Z',
    assignee: null,
    client: { id: `c-${id}`, clientId: `client-${id}`, name: `Client ${id}`, type: null, groups: [] },
    location: { id: 'l1', locationId: 'loc-1', name: 'Downtown' },
    labels: [],
    readPositions: [],
    ...patch,
  } as Row;
}

const at = (minute: number) => `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
const state = (rows: Row[], hasMore = false): ListState => ({ rows, hasMore, endCursor: rows.length ? 'cursor' : null });
const ids = (s: ListState) => s.rows.map((r) => r.conversationId);
const inbox: ConversationFilterInput = { view: 'inbox' };

describe('matchesFilter', () => {
  it('follows the views as the API defines them', () => {
    const archived = row('a', { status: 'archived' });
    expect(matchesFilter(archived, { view: 'inbox' }, { staffId: ME })).toBe('no');
    expect(matchesFilter(archived, { view: 'all' }, { staffId: ME })).toBe('yes');
    expect(matchesFilter(archived, { view: 'archived' }, { staffId: ME })).toBe('yes');
    expect(matchesFilter(row('s', { status: 'snoozed' }), { view: 'snoozed' }, { staffId: ME })).toBe('yes');
    expect(matchesFilter(row('o'), { view: 'snoozed' }, { staffId: ME })).toBe('no');
    expect(matchesFilter(row('u', { unreadCount: 2 }), { view: 'unread' }, { staffId: ME })).toBe('yes');
    expect(matchesFilter(row('r', { unreadCount: 0 }), { view: 'unread' }, { staffId: ME })).toBe('no');
    expect(matchesFilter(row('u', { unreadCount: 2, status: 'archived' }), { view: 'unread' }, { staffId: ME })).toBe('no');
    expect(matchesFilter(row('x', { lastMessageDirection: 'outbound' }), { view: 'replied' }, { staffId: ME })).toBe('yes');
    expect(matchesFilter(row('x', { lastMessageDirection: 'outbound' }), { view: 'unreplied' }, { staffId: ME })).toBe('no');
  });

  it('checks assignee, unassigned, location, client type and group, labels and dates', () => {
    const mine = row('m', { assignee: { id: 's', staffId: ME, name: 'Me' } });
    expect(matchesFilter(mine, { view: 'inbox', assigneeId: ME }, { staffId: ME })).toBe('yes');
    expect(matchesFilter(mine, { view: 'inbox', assigneeId: 'other' }, { staffId: ME })).toBe('no');
    expect(matchesFilter(mine, { view: 'inbox', unassigned: true }, { staffId: ME })).toBe('no');
    expect(matchesFilter(row('n'), { view: 'inbox', unassigned: true }, { staffId: ME })).toBe('yes');
    expect(matchesFilter(row('n'), { locationId: 'loc-2' }, { staffId: ME })).toBe('no');
    expect(matchesFilter(row('n'), { locationId: 'loc-1' }, { staffId: ME })).toBe('yes');
    const vip = row('v', { client: { id: 'c', clientId: 'c', name: 'V', type: 'member', groups: ['vip'] } });
    expect(matchesFilter(vip, { clientType: 'member', clientGroup: 'vip' }, { staffId: ME })).toBe('yes');
    expect(matchesFilter(vip, { clientGroup: 'staff' }, { staffId: ME })).toBe('no');
    const labelled = row('l', { labels: [{ id: 'L1', name: 'VIP', color: '#f00' }] });
    expect(matchesFilter(labelled, { labelIds: ['L1', 'L2'] }, { staffId: ME })).toBe('yes');
    expect(matchesFilter(labelled, { labelIds: ['L1', 'L2'], labelMatch: 'all' }, { staffId: ME })).toBe('no');
    expect(matchesFilter(row('d', { lastActivityAt: at(5) }), { from: at(10) }, { staffId: ME })).toBe('no');
    expect(matchesFilter(row('d', { lastActivityAt: at(10) }), { from: at(10), to: at(11) }, { staffId: ME })).toBe('yes');
    expect(matchesFilter(row('d', { lastActivityAt: at(11) }), { to: at(11) }, { staffId: ME })).toBe('no');
  });

  it('says unknown where the row cannot tell (a channel seen elsewhere, a mention), yes when the event shows it', () => {
    expect(matchesFilter(row('e', { lastMessageChannel: 'sms' }), { channel: 'email' }, { staffId: ME })).toBe('unknown');
    expect(matchesFilter(row('e', { lastMessageChannel: 'email' }), { channel: 'email' }, { staffId: ME })).toBe('yes');
    expect(matchesFilter(row('m'), { view: 'mentions' }, { staffId: ME })).toBe('unknown');
    expect(matchesFilter(row('m'), { view: 'mentions' }, { staffId: ME, message: { channel: 'note', mentionStaffIds: [ME] } })).toBe('yes');
    expect(matchesFilter(row('m'), { view: 'mentions' }, { staffId: ME, message: { channel: 'note', mentionStaffIds: ['other'] } })).toBe('unknown');
  });
});

describe('compareRows', () => {
  it('puts pinned first, then the latest activity, then the greater id (the API order)', () => {
    const rows = [row('a', { lastActivityAt: at(1) }), row('b', { lastActivityAt: at(5) }), row('c', { lastActivityAt: at(2), pinned: true }), row('d', { lastActivityAt: at(5) })];
    expect(rows.sort(compareRows).map((r) => r.conversationId)).toEqual(['c', 'd', 'b', 'a']);
  });
});

describe('applyRow', () => {
  const base = state([row('c', { lastActivityAt: at(30) }), row('b', { lastActivityAt: at(20) }), row('a', { lastActivityAt: at(10) })]);

  it('moves a conversation with new activity to the top, without duplicating it', () => {
    const next = applyRow(base, row('a', { lastActivityAt: at(40), unreadCount: 1 }), inbox, { staffId: ME });
    expect(ids(next)).toEqual(['a', 'c', 'b']);
    expect(next.rows[0]!.unreadCount).toBe(1);
  });

  it('adds a new conversation where it sorts', () => {
    expect(ids(applyRow(base, row('n', { lastActivityAt: at(25) }), inbox, { staffId: ME }))).toEqual(['c', 'n', 'b', 'a']);
  });

  it('removes a conversation that no longer matches (archived out of the inbox)', () => {
    expect(ids(applyRow(base, row('b', { lastActivityAt: at(20), status: 'archived' }), inbox, { staffId: ME }))).toEqual(['c', 'a']);
  });

  it('moves a conversation out of Mine when assigned to someone else, and into it when assigned to me', () => {
    const mine: ConversationFilterInput = { view: 'inbox', assigneeId: ME };
    const other = { id: 'o', staffId: 'other', name: 'Other' };
    const me = { id: 'm', staffId: ME, name: 'Me' };
    const s = state([row('a', { assignee: me })]);
    expect(ids(applyRow(s, row('a', { assignee: other }), mine, { staffId: ME }))).toEqual([]);
    expect(ids(applyRow(state([]), row('z', { assignee: me }), mine, { staffId: ME }))).toEqual(['z']);
  });

  it('keeps a row it cannot judge, and does not add one it cannot judge', () => {
    const emailOnly: ConversationFilterInput = { channel: 'email' };
    const s = state([row('a', { lastMessageChannel: 'email' })]);
    expect(ids(applyRow(s, row('a', { lastMessageChannel: 'sms', lastActivityAt: at(50) }), emailOnly, { staffId: ME }))).toEqual(['a']);
    expect(ids(applyRow(s, row('b', { lastMessageChannel: 'sms', lastActivityAt: at(50) }), emailOnly, { staffId: ME }))).toEqual(['a']);
  });

  it('leaves a new row that sorts after the loaded part for its page when more pages exist', () => {
    const partial = { ...base, hasMore: true };
    expect(ids(applyRow(partial, row('old', { lastActivityAt: at(1) }), inbox, { staffId: ME }))).toEqual(['c', 'b', 'a']);
    expect(ids(applyRow({ ...base, hasMore: false }, row('old', { lastActivityAt: at(1) }), inbox, { staffId: ME }))).toEqual(['c', 'b', 'a', 'old']);
  });

  it('returns the same state when nothing changes', () => {
    expect(applyRow(base, row('x', { status: 'archived' }), inbox, { staffId: ME })).toBe(base);
  });
});

describe('receivePage (events that arrived while the page loaded)', () => {
  const EMPTY: ListState = { rows: [], hasMore: true, endCursor: null };
  const page = [row('c', { lastActivityAt: at(30) }), row('b', { lastActivityAt: at(20) }), row('a', { lastActivityAt: at(10) })];
  const ev = (r: Row): ListEvent => ({ type: 'row', row: r, ctx: { staffId: ME } });

  it("removed by an event before its page arrived: the page's older version is dropped", () => {
    const archived = ev(row('b', { lastActivityAt: at(20), status: 'archived' }));
    const s = receivePage(EMPTY, page, true, 'next', [archived], inbox);
    expect(ids(s)).toEqual(['c', 'a']);
    expect(s).toMatchObject({ hasMore: true, endCursor: 'next' });
    // Assigned away from Unassigned while the page loaded.
    const unassigned: ConversationFilterInput = { view: 'inbox', unassigned: true };
    const assigned = ev(row('c', { lastActivityAt: at(30), assignee: { id: 's', staffId: 'other', name: 'Other' } }));
    expect(ids(receivePage(EMPTY, page, false, null, [assigned], unassigned))).toEqual(['b', 'a']);
    // Also on a later page (infinite scroll).
    const loaded = state([row('z', { lastActivityAt: at(50) })], true);
    expect(ids(receivePage(loaded, page, true, 'next', [archived], inbox))).toEqual(['z', 'c', 'a']);
  });

  it('event about an old conversation during the first load lands in order', () => {
    // Marked read by someone else: its activity is older than the whole page, and more pages exist.
    const old = ev(row('old', { lastActivityAt: at(1) }));
    expect(ids(receivePage(EMPTY, page, true, 'next', [old], inbox))).toEqual(['c', 'b', 'a']);
    // The last page: it belongs at the end.
    expect(ids(receivePage(EMPTY, page, false, null, [old], inbox))).toEqual(['c', 'b', 'a', 'old']);
    // Within the page's range: between its neighbours, not on top.
    expect(ids(receivePage(EMPTY, page, true, 'next', [ev(row('mid', { lastActivityAt: at(15) }))], inbox))).toEqual(['c', 'b', 'mid', 'a']);
  });

  it("replaces the page's row by the event's newer version, and moves it where it now sorts", () => {
    const s = receivePage(EMPTY, page, true, 'next', [ev(row('a', { lastActivityAt: at(40), unreadCount: 3 }))], inbox);
    expect(ids(s)).toEqual(['a', 'c', 'b']);
    expect(s.rows[0]!.unreadCount).toBe(3);
  });

  it('applies the events in order, and removals (merges)', () => {
    const events: ListEvent[] = [ev(row('b', { lastActivityAt: at(20), status: 'archived' })), ev(row('b', { lastActivityAt: at(35) })), { type: 'remove', id: 'c' }];
    expect(ids(receivePage(EMPTY, page, true, 'next', events, inbox))).toEqual(['b', 'a']);
  });
});

describe('Mentions (the API puts unread mentions first, which a row does not tell)', () => {
  const mentions: ConversationFilterInput = { view: 'mentions', viewerStaffId: ME };
  // API order: 'a' (an unread mention, older activity) before 'c'.
  const s = state([row('a', { lastActivityAt: at(10) }), row('c', { lastActivityAt: at(30) })]);

  it('updates a loaded row in place, without moving it by activity', () => {
    const next = applyEvent(s, { type: 'row', row: row('c', { lastActivityAt: at(50), lastMessagePreview: 'new' }), ctx: { staffId: ME } }, mentions);
    expect(ids(next)).toEqual(['a', 'c']);
    expect(next.rows[1]!.lastMessagePreview).toBe('new');
  });

  it('drops a row that left the view, and adds none (the refresh brings new ones in the API order)', () => {
    expect(ids(patchRow(s, row('a', { status: 'archived' }), mentions, { staffId: ME }))).toEqual(['c']);
    const mention = { channel: 'note', mentionStaffIds: [ME] };
    expect(applyEvent(s, { type: 'row', row: row('n', { lastActivityAt: at(60) }), ctx: { staffId: ME, message: mention } }, mentions)).toBe(s);
  });

  it('keeps the page order as the API gave it when events arrived while it loaded', () => {
    const next = receivePage({ rows: [], hasMore: true, endCursor: null }, s.rows, false, null, [{ type: 'row', row: row('c', { lastActivityAt: at(70) }), ctx: { staffId: ME } }], mentions);
    expect(ids(next)).toEqual(['a', 'c']);
  });
});

describe('pages and navigation', () => {
  it('appends a page without the rows an event brought first', () => {
    const s = appendPage(state([row('a'), row('b')]), [row('b'), row('c')], true, 'next');
    expect(ids(s)).toEqual(['a', 'b', 'c']);
    expect(s).toMatchObject({ hasMore: true, endCursor: 'next' });
  });

  it('removes a combined conversation', () => {
    expect(ids(removeRow(state([row('a'), row('b')]), 'a'))).toEqual(['b']);
  });

  it('moves with j/k within bounds, starting at the first row', () => {
    const rows = [row('a'), row('b'), row('c')];
    expect(neighbour(rows, null, 1)?.conversationId).toBe('a');
    expect(neighbour(rows, 'a', 1)?.conversationId).toBe('b');
    expect(neighbour(rows, 'a', -1)?.conversationId).toBe('a');
    expect(neighbour(rows, 'c', 1)?.conversationId).toBe('c');
    expect(neighbour(rows, 'gone', -1)?.conversationId).toBe('a');
    expect(neighbour([], 'a', 1)).toBeUndefined();
  });
});

describe('unreadFor', () => {
  const read = (lastReadAt: string | null, unreadCount = 0) => ({ staffId: ME, lastReadAt, unreadCount });
  it("follows the staff member's read position, as the sidebar's counts do", () => {
    expect(unreadFor(row('a', { lastInboundAt: null }), ME)).toEqual({ unread: false, count: 0 });
    expect(unreadFor(row('a', { lastInboundAt: at(5), unreadCount: 2 }), ME)).toEqual({ unread: true, count: 2 });
    expect(unreadFor(row('a', { lastInboundAt: at(5), unreadCount: 0 }), ME)).toEqual({ unread: true, count: 0 });
    expect(unreadFor(row('a', { lastInboundAt: at(5), unreadCount: 2, readPositions: [read(at(6))] }), ME)).toEqual({ unread: false, count: 0 });
    expect(unreadFor(row('a', { lastInboundAt: at(7), unreadCount: 1, readPositions: [read(at(6))] }), ME)).toEqual({ unread: true, count: 1 });
    expect(unreadFor(row('a', { lastInboundAt: at(7), readPositions: [read(at(6), 3)] }), ME)).toEqual({ unread: true, count: 3 });
    expect(unreadFor(row('a', { lastInboundAt: at(5), readPositions: [{ staffId: 'other', lastReadAt: at(9), unreadCount: 0 }] }), ME)).toEqual({ unread: true, count: 0 });
  });
});
