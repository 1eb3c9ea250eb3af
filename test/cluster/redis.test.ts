// Two gateways on Redis (REDIS_URL): events written through one reach subscribers of the other,
// and the rate limiter is one limit whichever gateway a request reaches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, testRedisAvailable } from '../helpers/redis.js';
import { BUSINESS, call, expectNoteFansOut, startInboxCluster, type InboxCluster } from './fixture.js';

const url = TEST_REDIS_URL;
const available = await testRedisAvailable();
const LIMIT = 20;

describe.skipIf(!available)('two gateways on Redis', () => {
  let c: InboxCluster | undefined;

  beforeAll(async () => {
    c = await startInboxCluster({ redisUrl: url, env: { OMEGA_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  }, 120_000);
  afterAll(async () => {
    await c?.close();
  }, 60_000);

  it('delivers a note written through gateway 2 to a subscriber of gateway 1', async () => {
    await expectNoteFansOut(c!, 'through g2, over Redis');
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
