import { hitRateLimitCounter, type RateLimitCounter } from '../../db/sql/hitRateLimitCounter.js';
import type { Deps } from '../deps.js';
import { RateLimitedError } from '../errors.js';

export interface RateLimitInput {
  /** Who is counted: "api_key:<id>", "session:<id>" or "ip:<address>". */
  key: string;
  /** Requests allowed per window. */
  limit: number;
  windowSeconds?: number;
}

export interface RateLimitDecision {
  limit: number;
  /** Requests still allowed right now (estimate). */
  remaining: number;
}

/**
 * Counts one request and refuses it with RATE_LIMITED when the key is over its limit. The count is
 * a sliding window estimated from two fixed windows kept in PostgreSQL: previous × (share of the
 * previous window still inside the last `windowSeconds`) + current. Every process shares it, and a
 * burst at a window boundary cannot pass twice the limit. Refused requests count too, so a client
 * that keeps hammering stays refused.
 */
export async function consumeRateLimit(deps: Deps, input: RateLimitInput): Promise<RateLimitDecision> {
  const window = input.windowSeconds ?? 60;
  return decideRateLimit(await hitRateLimitCounter(deps.sql, input.key, window), input.limit, window);
}

/** The decision on a request once counted: allowed (with what remains), or RATE_LIMITED. */
export function decideRateLimit({ count, previousCount, elapsedSeconds }: RateLimitCounter, limit: number, window: number): RateLimitDecision {
  const elapsed = Math.min(Math.max(elapsedSeconds, 0), window);
  const estimate = previousCount * (1 - elapsed / window) + count;
  if (estimate <= limit) return { limit, remaining: Math.max(0, Math.floor(limit - estimate)) };
  throw new RateLimitedError(
    `Too many requests: more than ${limit} in ${window} seconds for these credentials. Retry after the time in Retry-After.`,
    retryAfterSeconds({ count, previousCount, elapsed, window, limit }),
  );
}

/** Seconds until one more request would fit under the limit, if no other request comes first. */
function retryAfterSeconds(c: { count: number; previousCount: number; elapsed: number; window: number; limit: number }): number {
  let wait: number;
  if (c.count + 1 <= c.limit && c.previousCount > 0) {
    // Within this window, once enough of the previous window has slid out.
    wait = c.window * (1 - (c.limit - c.count - 1) / c.previousCount) - c.elapsed;
  } else {
    // In the next window, once enough of this window has slid out.
    const intoNext = c.count > 0 ? c.window * Math.max(0, 1 - (c.limit - 1) / c.count) : 0;
    wait = c.window - c.elapsed + intoNext;
  }
  return Math.max(1, Math.ceil(wait));
}
