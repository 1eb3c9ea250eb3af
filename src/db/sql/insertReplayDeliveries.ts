import type { Sql } from '../sqlHandle.js';

export interface ReplayedEvents {
  queued: number;
  /** The last event queued, when any was. */
  last: { xid: string; id: string } | null;
}

/**
 * Queues a 'replay' delivery to an endpoint of every event of its business after `after`, in log
 * order ((xid, id): the deliveries' ids follow it), of the types it subscribes to (none named:
 * every type), at most `limit`, in one statement. Only events up to the endpoint's dispatch cursor:
 * those after it are the dispatcher's to queue (once), as it reaches them.
 */
export async function insertReplayDeliveries(sql: Sql, input: { businessId: string; endpointId: string; after: { xid: string; id: string }; limit: number }): Promise<ReplayedEvents> {
  const rows = await sql.query<{ queued: number; last_xid: string | null; last_id: string | null }>(
    `WITH ep AS (
       SELECT id, business_id, event_types, cursor_xid, cursor_id FROM webhook_endpoints WHERE id = $2::uuid AND business_id = $1::text
     ), picked AS MATERIALIZED (
       SELECT e.id, e.xid
         FROM ep
         JOIN inbox_events e ON e.business_id = ep.business_id
        WHERE (e.xid, e.id) > ($3::xid8, $4::bigint)
          AND (e.xid, e.id) <= (ep.cursor_xid, ep.cursor_id)
          AND (cardinality(ep.event_types) = 0 OR e.type = ANY (ep.event_types))
        ORDER BY e.xid, e.id
        LIMIT $5::int
     ), queued AS (
       INSERT INTO webhook_deliveries (business_id, endpoint_id, event_id, trigger)
       SELECT ep.business_id, ep.id, p.id, 'replay' FROM picked p CROSS JOIN ep ORDER BY p.xid, p.id
       RETURNING 1
     ), last AS (
       SELECT p.xid::text AS xid, p.id::text AS id FROM picked p ORDER BY p.xid DESC, p.id DESC LIMIT 1
     )
     SELECT (SELECT count(*)::int FROM queued) AS queued, (SELECT xid FROM last) AS last_xid, (SELECT id FROM last) AS last_id`,
    [input.businessId, input.endpointId, input.after.xid, input.after.id, input.limit],
  );
  const row = rows[0];
  return { queued: row?.queued ?? 0, last: row?.last_xid && row.last_id ? { xid: row.last_xid, id: row.last_id } : null };
}
