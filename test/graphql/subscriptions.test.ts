import { createClient, type Client } from 'graphql-ws';
import { collectEvents } from '../helpers/collectEvents.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { pgTransaction } from '../../src/db/transaction.js';
import { publishInboxEvent } from '../../src/domain/inbox/publishInboxEvent.js';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';

const SUBSCRIPTION = 'subscription ($b: String!, $after: String) { inboxEvents(businessId: $b, after: $after) { cursor type businessId conversationId payload } }';

/** Orders cursors ("<xid>:<id>") as the log does. */
const byCursor = (a: string, b: string) => {
  const [ax, ai] = a.split(':').map(BigInt) as [bigint, bigint];
  const [bx, bi] = b.split(':').map(BigInt) as [bigint, bigint];
  return ax !== bx ? (ax < bx ? -1 : 1) : ai < bi ? -1 : ai > bi ? 1 : 0;
};

interface Event {
  cursor: string;
  type: string;
  businessId: string;
  payload: { n?: number };
}

describe('inboxEvents over graphql-ws', () => {
  let t: TestApp;
  let url: string;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  const clients: Client[] = [];

  const connect = (apiKey?: string, keyName = 'X-API-KEY') => {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: apiKey ? { [keyName]: apiKey } : {},
      onNonLazyError: () => undefined,
    });
    clients.push(client);
    return client;
  };

  /** Publishes in its own transaction, as a domain operation would (subscribers are woken after COMMIT). */
  const publish = (businessId: string, n: number) => pgTransaction(t.deps, (sql) => publishInboxEvent(sql, { businessId, type: 'conversation.updated', payload: { n } }));

  const collect = (client: Client, variables: Record<string, unknown>, count: number) => collectEvents<Event>(client, SUBSCRIPTION, variables, count);

  /** The business's newest event cursor: subscribing after it makes "live" deterministic (no race with the publish). */
  const latest = async (businessId: string) =>
    (await t.deps.pool.query(`SELECT coalesce((SELECT xid || ':' || id FROM inbox_events WHERE business_id = $1 ORDER BY xid DESC, id DESC LIMIT 1), '0:0') AS c`, [businessId])).rows[0].c as string;

  beforeAll(async () => {
    t = await startTestApp();
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `${address.replace('http', 'ws')}/graphql`;
    a = await createBusiness(t.deps, 'sub-a');
    b = await createBusiness(t.deps, 'sub-b');
  });
  afterAll(async () => {
    await Promise.all(clients.map(async (c) => c.dispose()));
    await t.close();
  });

  it('streams live events of its business in order', async () => {
    const client = connect(a.apiKey);
    const sub = collect(client, { b: 'sub-a', after: await latest('sub-a') }, 3);
    for (const n of [1, 2, 3]) await publish('sub-a', n);
    const events = await sub.done;
    expect(events.map((e) => e.payload.n)).toEqual([1, 2, 3]);
    expect(events.every((e) => e.businessId === 'sub-a' && e.type === 'conversation.updated')).toBe(true);
    expect(events.map((e) => e.cursor)).toEqual(events.map((e) => e.cursor).sort(byCursor));
    expect(new Set(events.map((e) => e.cursor)).size).toBe(3);
    sub.dispose();
  });

  it('reads connectionParams names in any case, as header names (GraphiQL sends its headers as typed)', async () => {
    for (const name of ['x-api-key', 'X-Api-Key']) {
      const sub = collect(connect(a.apiKey, name), { b: 'sub-a', after: await latest('sub-a') }, 1);
      await publish('sub-a', 7);
      expect((await sub.done).map((e) => e.payload.n)).toEqual([7]);
      sub.dispose();
    }
  });

  it('resumes from a cursor: every missed event, then live ones, no gap and no duplicate', async () => {
    const client = connect(a.apiKey);
    const first = collect(client, { b: 'sub-a', after: await latest('sub-a') }, 1);
    await publish('sub-a', 10);
    const [last] = await first.done;
    first.dispose();

    // Disconnected: these happen while nobody listens.
    await publish('sub-a', 11);
    await publish('sub-a', 12);

    const resumed = collect(connect(a.apiKey), { b: 'sub-a', after: last!.cursor }, 3);
    await publish('sub-a', 13);
    const events = await resumed.done;
    expect(events.map((e) => e.payload.n)).toEqual([11, 12, 13]);
    resumed.dispose();
  });

  it("never delivers another business's events", async () => {
    const subA = collect(connect(a.apiKey), { b: 'sub-a', after: await latest('sub-a') }, 1);
    await publish('sub-b', 100);
    await publish('sub-a', 20);
    const events = await subA.done;
    expect(events.map((e) => [e.businessId, e.payload.n])).toEqual([['sub-a', 20]]);
    subA.dispose();
  });

  it("refuses to subscribe to another business's events", async () => {
    const sub = collect(connect(b.apiKey), { b: 'sub-a' }, 1);
    await expect(sub.done).rejects.toThrow(/FORBIDDEN/);
  });

  it('closes a connection without credentials with 4403', async () => {
    const closed = new Promise<number>((resolve) => {
      const client = createClient({ url, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, on: { closed: (e) => resolve((e as { code: number }).code) }, onNonLazyError: () => undefined });
      clients.push(client);
    });
    expect(await closed).toBe(4403);
  });

  it('refuses a malformed cursor with a validation error', async () => {
    const sub = collect(connect(a.apiKey), { b: 'sub-a', after: 'not-a-cursor' }, 1);
    await expect(sub.done).rejects.toThrow(/VALIDATION_FAILED/);
  });
});
