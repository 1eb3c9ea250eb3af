import type { Sql } from '../sqlHandle.js';

/** Deletes inbox events older than `before`, in batches so no long lock is held; returns the count. */
export async function deleteInboxEventsBefore(sql: Sql, before: Date, batchSize = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await sql.query<{ n: number }>(
      `WITH deleted AS (
         DELETE FROM inbox_events WHERE id IN (
           SELECT id FROM inbox_events WHERE created_at < $1::timestamptz ORDER BY id LIMIT $2::int
         )
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM deleted`,
      [before, batchSize],
    );
    const deleted = rows[0]?.n ?? 0;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
