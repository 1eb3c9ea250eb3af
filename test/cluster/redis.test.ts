// Two gateways on Redis (REDIS_URL): events written through one reach subscribers of the other,
// and the rate limiter is one limit whichever gateway a request reaches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { waitFor } from '../helpers/waitFor.js';
import { BUSINESS, call, currentCursor, startInboxCluster, subscribe, type InboxCluster } from './fixture.js';

const url = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const available = process.env['TEST_REDIS_URL'] ? true : await reachable(url);
const LIMIT = 20;

async function reachable(u: string): Promise<boolean> {
  const probe = new Redis(u, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

describe.skipIf(!available)('two gateways on Redis', () => {
  let c: InboxCluster | undefined;

  beforeAll(async () => {
    c = await startInboxCluster({ redisUrl: url, env: { OMEGA_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  }, 120_000);
  afterAll(async () => {
    await c?.close();
  }, 60_000);

  it('delivers a note written through gateway 2 to a subscriber of gateway 1', async () => {
    const { cluster, conversationId } = c!;
    const key = await c!.newKey('fan-out');
    const [g1, g2] = cluster.gatewayUrls;
    const sub = subscribe(`${g1.replace('http', 'ws')}/graphql`, key, await currentCursor(g1, key));
    try {
      const res = await call(`${g2}/businesses/${BUSINESS}/conversations/${conversationId}/notes`, key, { body: 'through g2, over Redis' });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      await waitFor(
        'the note at the subscriber of g1',
        () => sub.events.some((e) => e.type === 'message.created' && e.messageId === res.json.id),
        15_000,
        () => cluster.output(),
      );
      expect(sub.errors).toEqual([]);
    } finally {
      await sub.stop();
    }
  });

  it('counts requests to either gateway against one limit per key', async () => {
    const { cluster } = c!;
    const key = await c!.newKey('rate limit');
    const answers: { gateway: number; status: number }[] = [];
    // Alternating gateways, one request at a time: each gateway alone would allow LIMIT.
    for (let i = 0; i < 2 * LIMIT; i++) {
      const gateway = i % 2;
      const res = await call(`${cluster.gatewayUrls[gateway]}/businesses/${BUSINESS}/locations`, key);
      expect([200, 429], JSON.stringify(res.json)).toContain(res.status);
      answers.push({ gateway, status: res.status });
    }
    const ok = answers.filter((a) => a.status === 200).length;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThanOrEqual(LIMIT);
    for (const gateway of [0, 1]) {
      expect(
        answers.some((a) => a.gateway === gateway && a.status === 429),
        `g${gateway + 1} refused some`,
      ).toBe(true);
      expect(
        answers.some((a) => a.gateway === gateway && a.status === 200),
        `g${gateway + 1} answered some`,
      ).toBe(true);
    }
  });
});
