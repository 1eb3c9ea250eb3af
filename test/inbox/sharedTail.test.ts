// Subscriptions of one business share one reader of the inbox event log per process (inboxTails.ts):
// a wake-up costs one statement however many are open, each still gets every event once and in
// order, one that does not keep up is detached and catches up on its own, and one that attaches
// while the tail is ahead misses nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgTransaction } from '../../src/db/transaction.js';
import type { Sql } from '../../src/db/sqlHandle.js';
import type { Deps } from '../../src/domain/deps.js';
import { publishInboxEvent } from '../../src/domain/inbox/publishInboxEvent.js';
import { currentInboxCursor, MAX_QUEUED, streamInboxEvents, type StreamedInboxEvent } from '../../src/domain/inbox/streamInboxEvents.js';
import { createBusiness, startTestDeps } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';

describe('the shared tail of the inbox event log', () => {
  let t: Awaited<ReturnType<typeof startTestDeps>>;
  /** Statements that read inbox_events through `counted`'s handle. */
  let logReads = 0;
  let counted: Deps;

  beforeAll(async () => {
    t = await startTestDeps(12);
    const sql: Sql = {
      ...t.deps.sql,
      query: (statement, values) => {
        const text = typeof statement === 'string' ? statement : statement.text;
        if (/FROM inbox_events/.test(text)) logReads++;
        return t.deps.sql.query(statement, values);
      },
      eventsWritten: (ids) => t.deps.sql.eventsWritten(ids),
    };
    counted = { ...t.deps, sql };
    for (const id of ['shared', 'slow', 'late']) await createBusiness(t.deps, id);
  });
  afterAll(() => t.close());

  const publish = (businessId: string, n: number) => pgTransaction(t.deps, (sql) => publishInboxEvent(sql, { businessId, type: 'conversation.updated', payload: { n } }));

  /** Pulls a stream into an array until `count` events came (or the stream is closed). */
  const collect = (stream: AsyncIterableIterator<StreamedInboxEvent>, into: number[], count: number) =>
    (async () => {
      while (into.length < count) {
        const next = await stream.next();
        if (next.done) return;
        into.push((next.value.payload as { n: number }).n);
      }
    })();

  it('serves 30 subscriptions of one business with one read per wake-up, each getting every event once, in order', async () => {
    const after = await currentInboxCursor(t.deps);
    const streams = await Promise.all(Array.from({ length: 30 }, () => streamInboxEvents(counted, { businessId: 'shared', after })));
    const got = streams.map(() => [] as number[]);
    const done = streams.map((s, i) => collect(s, got[i]!, 20));
    try {
      // Each reads once on its own (nothing yet), then attaches to the one tail.
      await waitFor('every subscription attached', () => t.deps.inboxTails.size() === 1 && logReads >= 30, 10_000);
      await new Promise((r) => setTimeout(r, 200));
      const before = logReads;
      for (let n = 1; n <= 20; n++) await publish('shared', n);
      await Promise.all(done);
      for (const g of got) expect(g).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      // 20 events, each its own wake-up: about one read each (plus the idle re-reads of 1.5 s), not 30.
      expect(logReads - before).toBeLessThan(60);
    } finally {
      await Promise.all(streams.map(async (s) => s.return?.()));
    }
    expect(t.deps.inboxTails.size()).toBe(0);
  });

  it('detaches a subscription that stops reading, which then catches up on its own, and keeps serving the others', async () => {
    const after = await currentInboxCursor(t.deps);
    const slow = await streamInboxEvents(t.deps, { businessId: 'slow', after });
    const fast = await streamInboxEvents(t.deps, { businessId: 'slow', after });
    const total = MAX_QUEUED + 300;
    const fastGot: number[] = [];
    // The slow one reads one event, then nothing while the rest is written.
    const first = slow.next();
    const fastDone = collect(fast, fastGot, total);
    try {
      await waitFor('both attached', () => t.deps.inboxTails.size() === 1, 10_000);
      await publish('slow', 1);
      expect(((await first).value as StreamedInboxEvent).payload).toEqual({ n: 1 });
      // Written in bulk: 2,300 events in a few transactions of 100.
      for (let from = 2; from <= total; from += 100) {
        await pgTransaction(t.deps, async (sql) => {
          for (let n = from; n < Math.min(from + 100, total + 1); n++) await publishInboxEvent(sql, { businessId: 'slow', type: 'conversation.updated', payload: { n } });
        });
      }
      await fastDone;
      expect(fastGot).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      // The slow one held at most MAX_QUEUED rows, then read the rest itself: everything, once, in order.
      const slowGot: number[] = [1];
      await collect(slow, slowGot, total);
      expect(slowGot).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    } finally {
      await slow.return?.();
      await fast.return?.();
    }
  }, 60_000);

  it('lets a subscription that starts behind the tail read up to it first: no gap', async () => {
    const start = await currentInboxCursor(t.deps);
    const early = await streamInboxEvents(t.deps, { businessId: 'late', after: start });
    const earlyGot: number[] = [];
    const earlyDone = collect(early, earlyGot, 10);
    try {
      await waitFor('the tail', () => t.deps.inboxTails.size() === 1, 10_000);
      for (let n = 1; n <= 5; n++) await publish('late', n);
      await waitFor('five events through the tail', () => earlyGot.length === 5, 10_000);
      // A subscription from the start cursor: the tail is five events ahead of it.
      const late = await streamInboxEvents(t.deps, { businessId: 'late', after: start });
      const lateGot: number[] = [];
      const lateDone = collect(late, lateGot, 10);
      for (let n = 6; n <= 10; n++) await publish('late', n);
      await Promise.all([earlyDone, lateDone]);
      expect(lateGot).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(earlyGot).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      await late.return?.();
    } finally {
      await early.return?.();
    }
  });

  it('attaches a subscription whose cursor is older than the tail after one empty read, without reading again and again', async () => {
    await createBusiness(t.deps, 'idle');
    const older = await currentInboxCursor(t.deps);
    // Transactions of another business move the transaction ids on: the next cursor is newer.
    for (let n = 0; n < 3; n++) await publish('shared', n);
    const newer = await currentInboxCursor(t.deps);
    expect(older).not.toBe(newer);
    const a = await streamInboxEvents(counted, { businessId: 'idle', after: newer });
    const aNext = a.next();
    try {
      await waitFor('the tail, at the newer cursor', () => t.deps.inboxTails.size() === 1, 10_000);
      const before = logReads;
      const b = await streamInboxEvents(counted, { businessId: 'idle', after: older });
      const bNext = b.next();
      await new Promise((r) => setTimeout(r, 1_000));
      // One read of its own, then attached; the tail re-reads about every 1.5 s while idle.
      expect(logReads - before).toBeLessThan(6);
      await publish('idle', 1);
      expect(((await aNext).value as StreamedInboxEvent).payload).toEqual({ n: 1 });
      expect(((await bNext).value as StreamedInboxEvent).payload).toEqual({ n: 1 });
      await b.return?.();
    } finally {
      await a.return?.();
    }
  });

  it('refuses a cursor ahead of the log (never issued), which would hold the shared tail there', async () => {
    const [xid] = (await currentInboxCursor(t.deps)).split(':');
    await expect(streamInboxEvents(t.deps, { businessId: 'idle', after: `${BigInt(xid!) + 1_000_000n}:0` })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
