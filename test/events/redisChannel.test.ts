// The Redis event target (REDIS_URL): keyed wake-ups between processes over Redis pub/sub. Runs
// against TEST_REDIS_URL (CI sets it, and then Redis must be there), else against a Redis on
// 127.0.0.1:6379 when one answers; skipped only when neither is available.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '../../src/createDeps.js';
import { createPool } from '../../src/db/pool.js';
import { pgTransaction } from '../../src/db/transaction.js';
import { publishInboxEvent } from '../../src/domain/inbox/publishInboxEvent.js';
import { INBOX_CHANNEL } from '../../src/events/inboxEventBus.js';
import { startInboxStream } from '../helpers/collectEvents.js';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';
import { TEST_REDIS_URL, testRedisAvailable } from '../helpers/redis.js';
import { quietFor, waitFor } from '../helpers/waitFor.js';
import type { ChannelListener, ListenReason } from '../../src/events/startChannelListener.js';
import { startRedisChannel } from '../../src/events/startRedisChannel.js';

const url = TEST_REDIS_URL;
const available = await testRedisAvailable();

const silent = { warn: () => undefined };

describe.skipIf(!available)('startRedisChannel: wake-ups over Redis pub/sub', () => {
  const channel = `omega_test_${randomUUID()}`;
  let a: ChannelListener;
  let b: ChannelListener;
  const bName = `redis-test-${randomUUID().slice(0, 8)}`;
  beforeAll(async () => {
    a = await startRedisChannel({ url, channel, name: 'redis-test-a', log: silent });
    b = await startRedisChannel({ url, channel, name: bName, log: silent });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("wakes the watchers of a key in another process, and only that key's", async () => {
    const got: ListenReason[] = [];
    const other: ListenReason[] = [];
    const stop = b.watch('business-1', (r) => got.push(r));
    const stopOther = b.watch('business-2', (r) => other.push(r));
    await a.notify(['business-1']);
    await waitFor('the wake-up', () => got.length === 1, 3_000);
    expect(got).toEqual(['notified']);
    expect(other).toEqual([]);
    stop();
    stopOther();
    await a.notify(['business-1', 'business-2']);
    await quietFor(100, 'stopped watchers must not be woken');
    expect(got).toEqual(['notified']);
    expect(other).toEqual([]);
  });

  it('calls every watcher with reconnected after its subscriber connection is cut (messages sent meanwhile may be lost)', async () => {
    const got: ListenReason[] = [];
    const stop = b.watch('business-3', (r) => got.push(r));
    const admin = new Redis(url);
    try {
      const list = await admin.client('LIST');
      const ids = String(list)
        .split('\n')
        .filter((line) => line.includes(`name=omega-${bName} `) && /\bsub=[1-9]/.test(line))
        .map((line) => /\bid=(\d+)/.exec(line)![1]!);
      expect(ids).toHaveLength(1);
      await admin.client('KILL', 'ID', ids[0]!);
    } finally {
      admin.disconnect();
    }
    await waitFor('the reconnected wake-up', () => got.includes('reconnected'), 10_000);
    // Subscribed again: wake-ups flow as before.
    await waitFor(
      'a wake-up after resubscribing',
      () => {
        void a.notify(['business-3']);
        return got.includes('notified');
      },
      10_000,
    );
    stop();
  });

  it('refuses to start with a clear error when Redis cannot be reached', async () => {
    await expect(startRedisChannel({ url: 'redis://127.0.0.1:1', channel, name: 'redis-test-down', log: silent })).rejects.toThrow(/REDIS_URL/);
  });
});

describe.skipIf(!available)('REDIS_URL: inbox wake-ups between gateway processes over Redis, not NOTIFY', () => {
  let t: TestApp;
  let other: Awaited<ReturnType<typeof createDeps>>;
  let otherPool: ReturnType<typeof createPool>;
  let listener: pg.Client;
  const notified: string[] = [];
  beforeAll(async () => {
    t = await startTestApp({ depsOptions: { redisUrl: url } });
    await createBusiness(t.deps, 'redis-a');
    // A second "process": its own pool and deps over the same database and Redis.
    otherPool = createPool(t.db.url, 4, () => undefined);
    other = await createDeps({ url: t.db.url, pool: otherPool }, silent, undefined, { redisUrl: url });
    listener = new pg.Client({ connectionString: t.db.url });
    await listener.connect();
    listener.on('notification', (n) => notified.push(n.payload ?? ''));
    await listener.query(`LISTEN ${INBOX_CHANNEL}`);
  });
  afterAll(async () => {
    await listener?.end();
    await other?.close();
    await otherPool?.end();
    await t?.close();
  });

  it("wakes the other process's watchers at COMMIT and its subscriber reads the event; PostgreSQL is not notified", async () => {
    const woken: number[] = [];
    const stopWatching = other.events.watch('redis-a', () => woken.push(Date.now()));
    const { stream, first, started } = await startInboxStream(other, { businessId: 'redis-a' });
    // Let the subscription take its starting position before the event commits.
    await started;
    await pgTransaction(t.deps, (sql) => publishInboxEvent(sql, { businessId: 'redis-a', type: 'conversation.updated', payload: { via: 'redis' } }));
    const got = await first;
    expect(got.value).toMatchObject({ business_id: 'redis-a', type: 'conversation.updated', payload: { via: 'redis' } });
    await waitFor('the wake-up', () => woken.length > 0, 3_000);
    await stream.return?.(undefined);
    stopWatching();
    expect(notified.filter((b) => b === 'redis-a')).toEqual([]);
  });
});
