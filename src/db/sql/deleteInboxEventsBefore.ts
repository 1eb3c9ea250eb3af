import type { Sql } from '../sqlHandle.js';

/**
 * Deletes inbox events older than `before`, in batches so no long lock is held; returns the count.
 * Each business's horizon (inbox_event_horizons) moves up to the newest (xid, id) position deleted,
 * in the same statement: a cursor below it has missed events (CURSOR_EXPIRED).
 */
export async function deleteInboxEventsBefore(sql: Sql, before: Date, batchSize = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await sql.query<{ n: number }>(
      `WITH deleted AS (
         DELETE FROM inbox_events WHERE id IN (
           SELECT id FROM inbox_events WHERE created_at < $1::timestamptz ORDER BY id LIMIT $2::int
         )
         RETURNING business_id, xid, id
       ), newest AS (
         SELECT DISTINCT ON (business_id) business_id, xid, id FROM deleted ORDER BY business_id, xid DESC, id DESC
       ), moved AS (
         INSERT INTO inbox_event_horizons (business_id, xid, event_id, updated_at)
         SELECT business_id, xid, id, now() FROM newest
         ON CONFLICT (business_id) DO UPDATE SET xid = excluded.xid, event_id = excluded.event_id, updated_at = now()
          WHERE (inbox_event_horizons.xid, inbox_event_horizons.event_id) < (excluded.xid, excluded.event_id)
       )
       SELECT count(*)::int AS n FROM deleted`,
      [before, batchSize],
    );
    const deleted = rows[0]?.n ?? 0;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/** The newest position pruned from a business's log, or null when none was. */
export async function selectInboxEventHorizon(sql: Sql, businessId: string): Promise<{ xid: string; id: string } | null> {
  const rows = await sql.query<{ xid: string; id: string }>(`SELECT xid::text AS xid, event_id::text AS id FROM inbox_event_horizons WHERE business_id = $1::text`, [businessId]);
  return rows[0] ?? null;
}
