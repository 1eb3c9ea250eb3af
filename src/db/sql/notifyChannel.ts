import type { Sql } from '../sqlHandle.js';

/**
 * NOTIFY `channel` once per payload, in one tiny transaction of its own. NOTIFY makes a transaction
 * take PostgreSQL's cluster-wide notify lock from pre-commit to the end of its commit, so this one
 * skips waiting for the WAL flush (synchronous_commit off, for this transaction only): the lock is
 * held for microseconds. Only for wake-ups whose loss in a crash costs a delay, not data.
 */
export async function notifyChannel(sql: Sql, channel: string, payloads: readonly string[]): Promise<void> {
  await sql.query(
    `SELECT pg_notify($1::text, p)
       FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit, unnest($2::text[]) AS p`,
    [channel, payloads],
  );
}
