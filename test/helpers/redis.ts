// The Redis the tests use: TEST_REDIS_URL (CI sets it, and then Redis must be there), else one on
// 127.0.0.1:6379 when it answers; tests that need it are skipped only when neither is available.
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Whether the tests' Redis is there (always true with TEST_REDIS_URL: a missing one then fails the tests). */
export async function testRedisAvailable(): Promise<boolean> {
  if (process.env['TEST_REDIS_URL']) return true;
  const probe = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
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
