import type { Sql } from '../sqlHandle.js';

/** Drops counters idle for more than two windows (they would restart from zero anyway). */
export async function deleteIdleRateLimitCounters(sql: Sql, windowSeconds: number): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `WITH deleted AS (DELETE FROM rate_limit_counters WHERE window_start < now() - make_interval(secs => 2 * $1::int) RETURNING 1)
     SELECT count(*)::int AS n FROM deleted`,
    [windowSeconds],
  );
  return rows[0]?.n ?? 0;
}
