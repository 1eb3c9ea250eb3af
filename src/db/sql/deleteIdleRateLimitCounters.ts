import type { Pool } from '../pool.js';

/** Drops counters idle for more than two windows (they would restart from zero anyway). */
export async function deleteIdleRateLimitCounters(pool: Pool, windowSeconds: number): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM rate_limit_counters WHERE window_start < now() - make_interval(secs => 2 * $1::int)`,
    [windowSeconds],
  );
  return rowCount ?? 0;
}
