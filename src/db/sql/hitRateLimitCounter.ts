import type { Sql } from '../sqlHandle.js';
import { SELECT_API_KEY, type ApiKeyRow } from './selectApiKey.js';

export interface RateLimitCounter {
  /** Requests in the current fixed window, this one included. */
  count: number;
  /** Requests in the window before it. */
  previousCount: number;
  /** Seconds since the current window started. */
  elapsedSeconds: number;
}

/**
 * The upsert that counts one request for the key `keyExpr` evaluates to (over the rows of `from`,
 * if it reads any), in the current window of `window` seconds aligned on the database clock, so
 * every process agrees. One row per key, updated in place: a new window moves `count` to `previous_count` (or
 * zeroes both after a quiet window).
 */
const hit = (keyExpr: string, from: string, window: string) => `
  INSERT INTO rate_limit_counters AS c (key, window_start, count, previous_count)
  SELECT ${keyExpr}, to_timestamp(floor(extract(epoch FROM now()) / ${window}::int) * ${window}::int), 1, 0 ${from}
  ON CONFLICT (key) DO UPDATE SET
    previous_count = CASE
      WHEN c.window_start = EXCLUDED.window_start THEN c.previous_count
      WHEN c.window_start = EXCLUDED.window_start - make_interval(secs => ${window}::int) THEN c.count
      ELSE 0 END,
    count = CASE WHEN c.window_start = EXCLUDED.window_start THEN c.count + 1 ELSE 1 END,
    window_start = EXCLUDED.window_start
  RETURNING c.count, c.previous_count, extract(epoch FROM now() - c.window_start)::float8 AS elapsed`;

type CounterRow = { count: number; previous_count: number; elapsed: number };

const toCounter = (row: CounterRow | undefined): RateLimitCounter => {
  if (!row) throw new Error('internal error: rate limit counter upsert returned no row');
  return { count: row.count, previousCount: row.previous_count, elapsedSeconds: row.elapsed };
};

/** Counts one request for `key` in the current window of `windowSeconds` and returns the two windows' counts. */
export async function hitRateLimitCounter(sql: Sql, key: string, windowSeconds: number): Promise<RateLimitCounter> {
  const rows = await sql.query<CounterRow>(hit('$1::text', '', '$2'), [key, windowSeconds]);
  return toCounter(rows[0]);
}

/**
 * The API key with this hash (unless revoked or expired) and one request counted, in ONE statement:
 * for the key ("api_key:<id>"), or for `fallbackKey` when no key matched (the caller's address).
 */
export async function selectApiKeyAndHitCounter(sql: Sql, keyHash: string, fallbackKey: string, windowSeconds: number): Promise<{ apiKey: ApiKeyRow | null; counter: RateLimitCounter }> {
  const rows = await sql.query<CounterRow & { key: ApiKeyRow | null }>(
    `WITH k AS (${SELECT_API_KEY}),
     counted AS (${hit(`coalesce('api_key:' || k.id::text, $2::text)`, 'FROM (SELECT 1) AS one LEFT JOIN k ON true', '$3')})
     SELECT counted.*, (SELECT row_to_json(k) FROM k) AS key FROM counted`,
    [keyHash, fallbackKey, windowSeconds],
  );
  return { apiKey: rows[0]?.key ?? null, counter: toCounter(rows[0]) };
}
