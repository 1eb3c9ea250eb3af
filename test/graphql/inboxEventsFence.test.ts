// Inbox events are written without a lock and read behind a fence (the oldest running transaction):
// a transaction that commits late still reaches subscribers before the events that committed
// around it, in one order for everybody, with no gap and no duplicate, also when resuming.
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { pgTransaction, runTransaction } from '../../src/db/transaction.js';
import { publishInboxEvent } from '../../src/domain/inbox/publishInboxEvent.js';
import { collectEvents, startInboxStream } from '../helpers/collectEvents.js';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';
import { pgSql } from '../../src/db/sqlHandle.js';
import { quietFor, waitFor } from '../helpers/waitFor.js';

const SUBSCRIPTION = 'subscription ($b: String!, $after: String) { inboxEvents(businessId: $b, after: $after) { cursor payload } }';

interface Event {
  cursor: string;
  payload: { n?: number };
}

describe('inbox events: lock-free writes, fenced reads', () => {
  let t: TestApp;
  let url: string;
  let key: string;
  const clients: Client[] = [];
  const open: pg.PoolClient[] = [];
  /** Subscriptions that have started watching their business (streamInboxEvents' first step). */
  let watches = 0;

  const subscribe = (after: string | null, count: number) => {
    const client = createClient({ url, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, connectionParams: { 'X-API-KEY': key }, onNonLazyError: () => undefined });
    clients.push(client);
    return collectEvents<Event>(client, SUBSCRIPTION, { b: 'fence', after }, count);
  };

  /** One event in its own committed transaction. */
  const publish = (n: number) => pgTransaction(t.deps, (sql) => publishInboxEvent(sql, { businessId: 'fence', type: 'conversation.updated', payload: { n } }));

  /** A transaction that has written event `n` and stays open: commit() or rollback() it. */
  const begin = async (n: number) => {
    const c = await t.deps.pool.connect();
    open.push(c);
    await c.query('BEGIN');
    await publishInboxEvent(pgSql(c), { businessId: 'fence', type: 'conversation.updated', payload: { n } });
    const end = async (sql: string) => {
      await c.query(sql);
      open.splice(open.indexOf(c), 1);
      c.release();
    };
    return { commit: () => end('COMMIT'), rollback: () => end('ROLLBACK') };
  };

  const latest = async () =>
    (await t.deps.pool.query(`SELECT coalesce((SELECT xid || ':' || id FROM inbox_events WHERE business_id = 'fence' ORDER BY xid DESC, id DESC LIMIT 1), '0:0') AS c`)).rows[0].c as string;

  beforeAll(async () => {
    t = await startTestApp();
    const watch = t.deps.events.watch;
    t.deps.events.watch = (businessId, wake) => {
      watches++;
      return watch(businessId, wake);
    };
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `${address.replace('http', 'ws')}/graphql`;
    key = (await createBusiness(t.deps, 'fence')).apiKey;
  });
  afterAll(async () => {
    await Promise.all(clients.map(async (c) => c.dispose()));
    for (const c of open) {
      await c.query('ROLLBACK').catch(() => undefined);
      c.release();
    }
    await t.close();
  });

  it('holds back an event that committed while an older transaction was open, then delivers both in order', async () => {
    const sub = subscribe(await latest(), 2);
    const a = await begin(1);
    await publish(2); // commits (and notifies) before A
    await quietFor(400, 'event 2 must wait behind the open transaction of event 1');
    expect(sub.events).toEqual([]);
    await a.commit(); // a transaction like this one may not notify at all: the subscriber re-reads on its own
    const events = await sub.done;
    expect(events.map((e) => e.payload.n)).toEqual([1, 2]);
    sub.dispose();
  });

  it('resumes from a cursor taken before such a sequence: the late event, then the rest, once each', async () => {
    const first = subscribe(await latest(), 1);
    await publish(10);
    const [last] = await first.done;
    first.dispose();

    const a = await begin(11);
    await publish(12);
    const during = subscribe(last!.cursor, 3);
    await quietFor(300, 'event 12 must wait behind the open transaction of event 11');
    expect(during.events).toEqual([]); // 12 waits for 11
    await a.commit();
    await publish(13);
    expect((await during.done).map((e) => e.payload.n)).toEqual([11, 12, 13]);
    during.dispose();

    const resumed = subscribe(last!.cursor, 3);
    expect((await resumed.done).map((e) => e.payload.n)).toEqual([11, 12, 13]);
    const cursors = resumed.events.map((e) => e.cursor);
    resumed.dispose();
    const fromMiddle = subscribe(cursors[0]!, 2);
    expect((await fromMiddle.done).map((e) => e.cursor)).toEqual(cursors.slice(1));
    fromMiddle.dispose();
  });

  it('notifies nothing for a rolled-back transaction, and its event never appears', async () => {
    const listener = new pg.Client({ connectionString: t.db.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (msg) => heard.push(msg.payload ?? ''));
    await listener.query('LISTEN omega_inbox_events');
    try {
      const sub = subscribe(await latest(), 1);
      await expect(
        runTransaction(t.deps, async (tx) => {
          await publishInboxEvent(tx.sql, { businessId: 'fence', type: 'conversation.updated', payload: { n: 20 } });
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      await quietFor(300, 'a rolled-back transaction must notify nothing');
      expect(heard).toEqual([]);
      await runTransaction(t.deps, (tx) => publishInboxEvent(tx.sql, { businessId: 'fence', type: 'conversation.updated', payload: { n: 21 } }));
      expect((await sub.done).map((e) => e.payload.n)).toEqual([21]);
      await waitFor('the notification of the commit', () => heard.length > 0);
      expect(heard).toEqual(['fence']); // one notification, after COMMIT
      sub.dispose();
    } finally {
      await listener.end();
    }
  });

  it('lets two open transactions of one business write events at the same time (no lock wait)', async () => {
    const a = await begin(30);
    const c = await t.deps.pool.connect();
    open.push(c);
    try {
      await c.query('BEGIN');
      await c.query(`SET LOCAL lock_timeout = '200ms'`);
      await publishInboxEvent(pgSql(c), { businessId: 'fence', type: 'conversation.updated', payload: { n: 31 } });
      await c.query('COMMIT');
    } finally {
      open.splice(open.indexOf(c), 1);
      c.release();
    }
    await a.commit();
    const { rows } = await t.deps.pool.query(`SELECT payload->>'n' AS n FROM inbox_events WHERE business_id = 'fence' AND payload->>'n' IN ('30', '31') ORDER BY xid, id`);
    expect(rows.map((r) => r.n)).toEqual(['30', '31']);
  });

  it('without a cursor, delivers only what commits after subscribing, even behind an older open transaction', async () => {
    const older = await begin(40); // holds the fence back
    await publish(41); // committed before the subscription: not for it
    const { stream, first: next, started } = await startInboxStream(t.deps, { businessId: 'fence' });
    await started; // the stream has taken its start snapshot
    await publish(42);
    await older.commit(); // 40 was open at the start: it commits after, so it is delivered (first: older xid)
    const got = [(await next).value, (await stream.next()).value].map((e) => e?.payload['n']);
    expect(got).toEqual([40, 42]);
    await stream.return?.();
  });

  it('is not held back by a transaction open in another database of the server', async () => {
    const elsewhere = new pg.Client({ connectionString: inject('pgServerUrl') });
    await elsewhere.connect();
    try {
      await elsewhere.query('BEGIN');
      await elsewhere.query('SELECT pg_current_xact_id()'); // an xid older than the next event's
      const sub = subscribe(await latest(), 1);
      await publish(45);
      expect((await sub.done).map((e) => e.payload.n)).toEqual([45]);
      sub.dispose();
    } finally {
      await elsewhere.query('ROLLBACK');
      await elsewhere.end();
    }
  });

  it('accepts a bare event id as a cursor (issued before cursors carried the xid)', async () => {
    const last = await publish(50);
    const watching = watches;
    const sub = subscribe(last, 1);
    await waitFor('the subscription to watch its business', () => watches > watching);
    await publish(51);
    expect((await sub.done).map((e) => e.payload.n)).toEqual([51]);
    sub.dispose();
  });
});
