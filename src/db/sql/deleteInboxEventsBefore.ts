import type { Pool } from '../pool.js';

/** Deletes inbox events older than `before`, in batches so no long lock is held; returns the count. */
export async function deleteInboxEventsBefore(pool: Pool, before: Date, batchSize = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM inbox_events WHERE id IN (
         SELECT id FROM inbox_events WHERE created_at < $1::timestamptz ORDER BY id LIMIT $2::int
       )`,
      [before, batchSize],
    );
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < batchSize) return total;
  }
}
