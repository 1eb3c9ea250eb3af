import type { Pool } from '../pool.js';

export interface RateLimitCounter {
  /** Requests in the current fixed window, this one included. */
  count: number;
  /** Requests in the window before it. */
  previousCount: number;
  /** Seconds since the current window started. */
  elapsedSeconds: number;
}

/**
 * Counts one request for `key` in the current window of `windowSeconds` (aligned on the database
 * clock, so every process agrees) and returns the two windows' counts. One row per key, updated in
 * place: a new window moves `count` to `previous_count` (or zeroes both after a quiet window).
 */
export async function hitRateLimitCounter(pool: Pool, key: string, windowSeconds: number): Promise<RateLimitCounter> {
  const { rows } = await pool.query<{ count: number; previous_count: number; elapsed: number }>(
    `WITH clock AS (
       SELECT to_timestamp(floor(extract(epoch FROM now()) / $2::int) * $2::int) AS window_start
     )
     INSERT INTO rate_limit_counters AS c (key, window_start, count, previous_count)
     SELECT $1::text, clock.window_start, 1, 0 FROM clock
     ON CONFLICT (key) DO UPDATE SET
       previous_count = CASE
         WHEN c.window_start = EXCLUDED.window_start THEN c.previous_count
         WHEN c.window_start = EXCLUDED.window_start - make_interval(secs => $2::int) THEN c.count
         ELSE 0 END,
       count = CASE WHEN c.window_start = EXCLUDED.window_start THEN c.count + 1 ELSE 1 END,
       window_start = EXCLUDED.window_start
     RETURNING c.count, c.previous_count, extract(epoch FROM now() - c.window_start)::float8 AS elapsed`,
    [key, windowSeconds],
  );
  const row = rows[0];
  if (!row) throw new Error('internal error: rate limit counter upsert returned no row');
  return { count: row.count, previousCount: row.previous_count, elapsedSeconds: row.elapsed };
}
