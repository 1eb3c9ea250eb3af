import type { Sql } from '../sqlHandle.js';

/**
 * The log position just before a business's first event (in (xid, id) order) written at or after
 * `since`, or null when none was: what follows it is the log from that time on.
 */
export async function selectInboxEventPositionSince(sql: Sql, businessId: string, since: Date): Promise<{ xid: string; id: string } | null> {
  const rows = await sql.query<{ xid: string; id: string }>(
    `SELECT e.xid::text AS xid, (e.id - 1)::text AS id FROM inbox_events e WHERE e.business_id = $1::text AND e.created_at >= $2::timestamptz ORDER BY e.xid, e.id LIMIT 1`,
    [businessId, since],
  );
  return rows[0] ?? null;
}
