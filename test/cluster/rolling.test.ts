// Two gateways on PostgreSQL NOTIFY (no REDIS_URL) behind nginx: fan-out between them, and a
// rolling restart of both (SIGTERM, start again, then the other) under load through nginx that
// loses no accepted request, writes each accepted write once, and closes websockets with a code
// their clients resume from, missing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/waitFor.js';
import { BUSINESS, callOnce, currentCursor, expectNoteFansOut, startInboxCluster, subscribe, type InboxCluster } from './fixture.js';

/** Requests in flight at once from the load generator. */
const LOAD_CONCURRENCY = 4;

describe('two gateways on NOTIFY behind nginx', () => {
  let c: InboxCluster | undefined;

  beforeAll(async () => {
    // Rate limit off: the load generator's requests are not the point here (redis.test.ts tests the limit).
    c = await startInboxCluster({ env: { OMEGA_RATE_LIMIT_PER_MINUTE: '0' } });
  }, 120_000);
  afterAll(async () => {
    await c?.close();
  }, 60_000);

  it('delivers a note written through gateway 2 to a subscriber of gateway 1', async () => {
    await expectNoteFansOut(c!, 'through g2, over NOTIFY');
  });

  it('restarts each gateway in turn under load: every request answered, every write once, subscribers resumed', async () => {
    const { cluster, conversationId, deps } = c!;
    const key = await c!.newKey('load');
    const proxy = cluster.proxyUrl;
    const sub = subscribe(cluster.wsUrl, key, await currentCursor(proxy, key));
    // A second subscriber, so that (least_conn) each gateway has one whichever restarts first.
    const sub2 = subscribe(cluster.wsUrl, key, await currentCursor(proxy, key));

    const accepted: string[] = [];
    const failures: string[] = [];
    let requests = 0;
    let stop = false;
    const loop = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const write = i % 2 === 0;
        const label = `load-${n}-${i}`;
        try {
          if (write) {
            const res = await callOnce(`${proxy}/businesses/${BUSINESS}/conversations/${conversationId}/notes`, key, { body: label });
            if (res.status === 201) accepted.push(res.json.id as string);
            else failures.push(`${label}: POST note answered ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
          } else {
            const res = await callOnce(`${proxy}/graphql`, key, { query: 'query ($b: String!) { business(id: $b) { name locations { id } } }', variables: { b: BUSINESS } });
            if (res.status !== 200 || !res.json?.data?.business) failures.push(`${label}: GraphQL answered ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
          }
        } catch (err) {
          failures.push(`${label}: ${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? '')}`);
        }
        requests++;
      }
    };
    const loops = Array.from({ length: LOAD_CONCURRENCY }, (_, n) => loop(n));
    const progress = async (more: number, what: string) => {
      const target = requests + more;
      await waitFor(
        what,
        () => requests >= target,
        30_000,
        () => cluster.output(),
      );
    };

    try {
      await progress(20, 'load running');
      for (const i of [0, 1]) {
        // Drained from nginx, SIGTERM (requests in flight finish, websockets closed with 1012),
        // started again, put back: the load goes on through the other gateway meanwhile.
        const before = requests;
        await cluster.restartGateway(i);
        expect(requests - before, `load went on while g${i + 1} restarted`).toBeGreaterThan(0);
        // nginx sends to it again before the other one goes.
        const proxyHost = `"host":"${new URL(proxy).host}"`;
        await waitFor(
          `nginx to send requests to g${i + 1} again`,
          () => cluster.gateways[i]!.output().includes(proxyHost),
          30_000,
          () => cluster.output(),
        );
        await progress(20, `load after g${i + 1} is back`);
      }
    } finally {
      stop = true;
      await Promise.all(loops);
    }

    expect(failures, `every request through nginx got a real answer\n${cluster.output()}`).toEqual([]);
    expect(accepted.length).toBeGreaterThan(20);
    // Every accepted write is stored exactly once, and nothing else was written.
    const { rows } = await deps.pool.query(`SELECT id::text FROM messages WHERE conversation_id = $1 AND body LIKE 'load-%'`, [conversationId]);
    expect(rows.map((r: { id: string }) => r.id).sort()).toEqual([...accepted].sort());

    // Both subscribers were closed by their gateway's restart with 1012 (Service Restart), resumed
    // from their cursor, and got every note once, in order.
    for (const [name, s] of [
      ['subscriber 1', sub],
      ['subscriber 2', sub2],
    ] as const) {
      await waitFor(
        `${name} to have every note`,
        () => accepted.every((id) => s.events.some((e) => e.messageId === id)),
        30_000,
        () => `${s.events.length} events, closes ${JSON.stringify(s.closes)}\n${cluster.output()}`,
      );
      expect(s.errors, name).toEqual([]);
      expect(s.closes.length, `${name} was closed by a restart`).toBeGreaterThan(0);
      for (const code of s.closes) expect([1012, 1001], `${name} close codes ${JSON.stringify(s.closes)}`).toContain(code);
      expect(s.closes, name).toContain(1012);
      const notes = s.events.filter((e) => e.type === 'message.created').map((e) => e.messageId);
      expect(new Set(notes).size, `${name}: no event twice`).toBe(notes.length);
      expect(new Set(s.events.map((e) => e.cursor)).size).toBe(s.events.length);
    }
    await sub.stop();
    await sub2.stop();
  }, 150_000);
});
