// The event feed over REST (GET /businesses/{business_id}/events): the subscription's events in its
// order and in the webhooks' JSON, paged by cursor, filtered by type, 410 for an expired cursor.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import { streamInboxEvents } from '../../src/domain/inbox/streamInboxEvents.js';
import { buildInbox } from '../helpers/inboxFixture.js';
import { createBusiness, createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';

interface FeedEvent {
  version: number;
  id: string;
  type: string;
  cursor: string;
  business_id: string;
  created_at: string;
  data: {
    conversation_id: string | null;
    message_id: string | null;
    client_id: string | null;
    changes: Record<string, unknown>;
    message: Record<string, unknown> | null;
    conversation: Record<string, unknown> | null;
    client: unknown;
  };
}
interface FeedPage {
  items: FeedEvent[];
  next_cursor: string;
}

describe('the event feed (REST)', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let serviceKey: string;
  let sessionToken: string;
  let inbox: Awaited<ReturnType<typeof buildInbox>>;

  const feed = (query: string, headers: Record<string, string> = { 'x-api-key': key }, business = 'feed') => t.app.inject({ method: 'GET', url: `/businesses/${business}/events${query}`, headers });
  const page = async (query: string): Promise<FeedPage> => {
    const res = await feed(query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  /** Every event after `after`, page by page (`limit` each), and the cursor to poll from next. */
  const readAll = async (after: string | null, limit: number, extra = '') => {
    const items: FeedEvent[] = [];
    let cursor = after;
    for (;;) {
      const p = await page(`?limit=${limit}${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}${extra}`);
      items.push(...p.items);
      expect(p.next_cursor).toBeTypeOf('string');
      cursor = p.next_cursor;
      if (p.items.length < limit) return { items, cursor };
    }
  };
  /** The business's events in log order, as the database holds them. */
  const logOrder = async (businessId = 'feed') =>
    (await t.deps.pool.query<{ id: string }>(`SELECT e.id::text FROM inbox_events e WHERE e.business_id = $1 ORDER BY e.xid, e.id`, [businessId])).rows.map((r) => `evt_${r.id}`);
  const insertEvent = (client: pg.ClientBase | pg.Pool, type: string, payload: Record<string, unknown> = {}) =>
    client.query(`INSERT INTO inbox_events (business_id, type, conversation_id, payload) VALUES ('feed', $1, $2, $3)`, [type, inbox.conversations[0]!.conversationId, JSON.stringify(payload)]);

  beforeAll(async () => {
    t = await startTestApp();
    inbox = await buildInbox(t.deps, 'feed', [
      {
        client: { firstName: 'Rosa', lastName: 'Mitchell', phone: '+14155550101' },
        messages: [
          { direction: 'inbound', body: 'Can I move to 4pm?', minutesAgo: 30 },
          { direction: 'outbound', body: 'Sure, see you at 4', minutesAgo: 20 },
        ],
      },
      { client: { firstName: 'Sam', lastName: 'Ortiz', phone: '+14155550102' }, messages: [{ direction: 'inbound', body: 'Hello', minutesAgo: 10 }] },
    ]);
    key = (await createApiKey(t.deps, { name: 'feed', businessId: 'feed' })).key;
    otherKey = (await createBusiness(t.deps, 'feed-other')).apiKey;
    serviceKey = await createServiceKey(t.deps);
    const token = await t.app.inject({ method: 'POST', url: '/auth/token', headers: { 'x-api-key': key }, payload: { business_id: 'feed', staff_id: inbox.staff[0]!.id } });
    expect(token.statusCode, token.body).toBe(201);
    sessionToken = token.json().access_token;
    // More kinds of events than messages: a status change, an assignment, a read.
    await insertEvent(t.deps.pool, 'conversation.updated', { change: 'assignment', assigneeId: inbox.staff[1]!.id });
    await insertEvent(t.deps.pool, 'conversation.read', { read: true, unreadCount: 0 });
  });
  afterAll(() => t.close());

  it('answers every event in log order, page by page, in the webhooks JSON with its objects', async () => {
    const all = await readAll(null, 2);
    expect(all.items.map((e) => e.id)).toEqual(await logOrder());
    expect(all.items).toHaveLength(5);
    const created = all.items.find((e) => e.type === 'message.created' && e.data.message?.['body'] === 'Can I move to 4pm?')!;
    expect(created).toMatchObject({
      version: 1,
      business_id: 'feed',
      data: {
        conversation_id: inbox.conversations[0]!.conversationId,
        message_id: inbox.conversations[0]!.messageIds[0],
        client_id: inbox.conversations[0]!.clientId,
        changes: { channel: 'sms', direction: 'inbound', status: 'received' },
        message: { id: inbox.conversations[0]!.messageIds[0], direction: 'inbound', channel: 'sms', client_id: inbox.conversations[0]!.clientId },
        conversation: { id: inbox.conversations[0]!.conversationId, client: { name: 'Rosa Mitchell' } },
      },
    });
    expect(created.cursor).toMatch(/^\d+:\d+$/);
    const assigned = all.items.find((e) => e.type === 'conversation.updated')!;
    expect(assigned.data).toMatchObject({ message: null, changes: { change: 'assignment', assignee_id: inbox.staff[1]!.id } });
    // One page of everything is the same as pages of two, and a cursor continues after its event.
    expect((await page('?limit=500')).items).toEqual(all.items);
    expect((await page(`?after=${all.items[2]!.cursor}`)).items.map((e) => e.id)).toEqual(all.items.slice(3).map((e) => e.id));
  });

  it('gives the subscription’s order, also when a transaction that began writing first commits last; nothing past a running one', async () => {
    const { cursor: start } = await readAll(null, 500);
    const a = new pg.Client({ connectionString: t.db.url });
    const b = new pg.Client({ connectionString: t.db.url });
    await a.connect();
    await b.connect();
    try {
      // A takes its transaction id first, B writes and commits, then A writes (a higher event id) and commits.
      await a.query('BEGIN');
      await a.query('SELECT pg_current_xact_id()');
      await b.query('BEGIN');
      await insertEvent(b, 'conversation.updated', { change: 'status', status: 'archived' });
      await b.query('COMMIT');
      // B's event waits behind A, which may still write before it: the feed does not pass it.
      const fenced = await page(`?after=${start}`);
      expect(fenced.items).toEqual([]);
      await insertEvent(a, 'conversation.updated', { change: 'status', status: 'open' });
      await a.query('COMMIT');
    } finally {
      await a.end();
      await b.end();
    }
    const fromFeed = (await readAll(start, 1)).items;
    expect(fromFeed.map((e) => e.data.changes['status'])).toEqual(['open', 'archived']);
    expect(Number(fromFeed[0]!.id.slice(4))).toBeGreaterThan(Number(fromFeed[1]!.id.slice(4)));
    // The subscription from the same cursor, and the whole log from the start, agree with the feed.
    const stream = await streamInboxEvents(t.deps, { businessId: 'feed', after: '0:0' });
    const streamed: string[] = [];
    const all = await readAll(null, 3);
    while (streamed.length < all.items.length) streamed.push(`evt_${(await stream.next()).value!.id}`);
    await stream.return?.();
    expect(streamed).toEqual(all.items.map((e) => e.id));
    expect(all.items.slice(-2)).toEqual(fromFeed);
  });

  it('continues from the next_cursor of an empty page: a later event comes once', async () => {
    const { cursor } = await readAll(null, 500);
    const empty = await page(`?after=${cursor}`);
    expect(empty.items).toEqual([]);
    await insertEvent(t.deps.pool, 'conversation.read', { read: false, unreadCount: 1 });
    const next = await page(`?after=${empty.next_cursor}`);
    expect(next.items.map((e) => [e.type, e.data.changes])).toEqual([['conversation.read', { read: false, unread_count: 1 }]]);
    expect((await page(`?after=${next.next_cursor}`)).items).toEqual([]);
  });

  it('filters by type (repeat the parameter for several)', async () => {
    const all = (await readAll(null, 500)).items;
    const updated = await page('?types=conversation.updated');
    expect(updated.items.map((e) => e.id)).toEqual(all.filter((e) => e.type === 'conversation.updated').map((e) => e.id));
    const two = await page('?types=conversation.updated&types=conversation.read&limit=500');
    expect(two.items.map((e) => e.id)).toEqual(all.filter((e) => e.type === 'conversation.updated' || e.type === 'conversation.read').map((e) => e.id));
    // A filtered page continues after the last event read, matching or not.
    const none = await page('?types=client.updated');
    expect(none.items).toEqual([]);
    await t.deps.pool.query(`INSERT INTO inbox_events (business_id, type, payload) VALUES ('feed', 'client.updated', $1)`, [
      JSON.stringify({ clientId: inbox.conversations[1]!.clientId, consent: 'sms_opt_out', smsOptOut: true }),
    ]);
    const later = await page(`?types=client.updated&after=${none.next_cursor}`);
    expect(later.items).toHaveLength(1);
    expect(later.items[0]!.data).toMatchObject({ client_id: inbox.conversations[1]!.clientId, client: { id: inbox.conversations[1]!.clientId, name: 'Sam Ortiz' } });
  });

  it('answers 422 for a limit out of bounds, a malformed cursor or an unknown type', async () => {
    for (const [query, loc] of [
      ['?limit=0', ['query', 'limit']],
      ['?limit=501', ['query', 'limit']],
      ['?limit=ten', ['query', 'limit']],
      ['?after=yesterday', ['query', 'after']],
      ['?after=1:2:3', ['query', 'after']],
      ['?after=99999999999999999999999:1', ['query', 'after']],
      ['?types=message.deleted', ['query', 'types', 0]],
      ['?types=message.created,conversation.read', ['query', 'types', 0]],
    ] as const) {
      const res = await feed(query);
      expect(res.statusCode, query).toBe(422);
      expect(res.json().detail[0].loc, query).toEqual(loc);
    }
  });

  it('answers 410 CURSOR_EXPIRED for a cursor older than the log keeps', async () => {
    await t.deps.prisma.business.create({ data: { id: 'feed-pruned', name: 'Pruned' } });
    const prunedKey = (await createApiKey(t.deps, { name: 'p', businessId: 'feed-pruned' })).key;
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (await t.deps.pool.query<{ id: string; xid: string }>(`INSERT INTO inbox_events (business_id, type, payload) VALUES ('feed-pruned', 'conversation.read', '{}') RETURNING id::text, xid::text`))
          .rows[0]!,
      );
    const first = await feed('', { 'x-api-key': prunedKey }, 'feed-pruned');
    expect(first.json().items).toHaveLength(3);
    // The first two were pruned: the horizon is the second.
    await t.deps.pool.query(`DELETE FROM inbox_events WHERE id IN ($1, $2)`, [ids[0]!.id, ids[1]!.id]);
    await t.deps.pool.query(`INSERT INTO inbox_event_horizons (business_id, xid, event_id) VALUES ('feed-pruned', $1, $2)`, [ids[1]!.xid, ids[1]!.id]);
    const expired = await feed(`?after=${ids[0]!.xid}:${ids[0]!.id}`, { 'x-api-key': prunedKey }, 'feed-pruned');
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toEqual({ detail: expect.stringMatching(/older than the event log keeps/), code: 'CURSOR_EXPIRED' });
    // A bare event id from before the cursor carried the transaction id is checked too.
    expect((await feed(`?after=${ids[0]!.id}`, { 'x-api-key': prunedKey }, 'feed-pruned')).statusCode).toBe(410);
    // At the horizon nothing was missed.
    const atHorizon = await feed(`?after=${ids[1]!.xid}:${ids[1]!.id}`, { 'x-api-key': prunedKey }, 'feed-pruned');
    expect(atHorizon.statusCode).toBe(200);
    expect(atHorizon.json().items.map((e: FeedEvent) => e.id)).toEqual([`evt_${ids[2]!.id}`]);
  });

  it('lets sessions read; other businesses get 403, a service key naming no business 404, no credentials 401', async () => {
    const bySession = await feed('?limit=1', { authorization: `Bearer ${sessionToken}` });
    expect(bySession.statusCode).toBe(200);
    expect(bySession.json().items).toHaveLength(1);
    const other = await feed('', { 'x-api-key': otherKey });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('BUSINESS_FORBIDDEN');
    expect((await feed('', { 'x-api-key': serviceKey })).statusCode).toBe(200);
    const unknown = await feed('', { 'x-api-key': serviceKey }, 'no-such-business');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('BUSINESS_NOT_FOUND');
    expect((await feed('', {})).statusCode).toBe(401);
    // Another business's feed holds none of this one's events.
    expect((await feed('', { 'x-api-key': otherKey }, 'feed-other')).json().items).toEqual([]);
  });
});
