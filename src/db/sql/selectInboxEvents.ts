import type { Sql } from '../sqlHandle.js';

export interface InboxEventRow {
  /** Id of the transaction that wrote the event (xid8, as text). */
  xid: string;
  id: string;
  business_id: string;
  type: string;
  conversation_id: string | null;
  message_id: string | null;
  payload: Record<string, unknown>;
  created_at: Date;
}

/** A place in a business's event log: events are ordered by (xid, id). */
export interface InboxEventPosition {
  xid: string;
  id: string;
}

/**
 * The fence of this statement's snapshot: the oldest transaction still running in this database
 * (xids are server-wide; one running in another database writes no event here and must not hold
 * ours back), or the snapshot's xmax when none runs. Every transaction of this database older than
 * the fence has ended. An xid is dropped only when a backend of another database reports it (at
 * worst a stale report keeps an xid in: a lower fence, never a wrong one).
 */
export const FENCE = `
  SELECT least(pg_snapshot_xmax(s), (
           SELECT min(x) FROM pg_snapshot_xip(s) AS x
            WHERE x::xid NOT IN (
              SELECT a.backend_xid FROM pg_stat_get_activity(NULL) AS a
               WHERE a.backend_xid IS NOT NULL AND a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database())))) AS xmin,
         s AS snapshot
    FROM pg_current_snapshot() AS s`;

export interface InboxEventPage {
  events: InboxEventRow[];
  /**
   * Committed events exist past the fence: their transaction is younger than one still running,
   * which may yet commit an event before them. Read again shortly (that transaction may never notify).
   */
  fenced: boolean;
  /** The fence (an xid): every event of a transaction older than it has been read when fewer than `limit` came back. */
  fence: string;
}

/**
 * The events after `after`, in (xid, id) order, whose transaction is older than every transaction
 * still running (the fence, FENCE above): those have all ended, so no event can later commit
 * before the last one returned. `hidden`: a snapshot whose visible events
 * are left out (those committed before a subscription without a cursor began).
 */
export async function selectInboxEvents(
  sql: Sql,
  businessId: string,
  after: InboxEventPosition,
  limit: number,
  hidden: string | null,
  types: readonly string[] | null = null,
): Promise<InboxEventPage> {
  const rows = await sql.query<{ fenced: boolean; fence: string } & { [K in keyof InboxEventRow]: InboxEventRow[K] | null }>(
    `WITH fence AS MATERIALIZED (${FENCE})
     SELECT f.fenced, (SELECT xmin FROM fence)::text AS fence, e.xid::text AS xid, e.id::text AS id, e.business_id, e.type, e.conversation_id, e.message_id, e.payload, e.created_at
       FROM (SELECT (
               -- Not EXISTS: the planner drops ORDER BY ... LIMIT 1 there, which keeps this on the
               -- index whatever the statistics say of xid.
               SELECT b.id FROM inbox_events b
                WHERE b.business_id = $1::text AND b.xid >= (SELECT xmin FROM fence) AND (b.xid, b.id) > ($2::xid8, $3::bigint)
                  AND ($5::pg_snapshot IS NULL OR NOT pg_visible_in_snapshot(b.xid, $5::pg_snapshot))
                  AND ($6::text[] IS NULL OR b.type = ANY ($6::text[]))
                ORDER BY b.xid, b.id
                LIMIT 1) IS NOT NULL AS fenced) f
       LEFT JOIN LATERAL (
         SELECT i.* FROM inbox_events i
          WHERE i.business_id = $1::text AND (i.xid, i.id) > ($2::xid8, $3::bigint) AND i.xid < (SELECT xmin FROM fence)
            AND ($5::pg_snapshot IS NULL OR NOT pg_visible_in_snapshot(i.xid, $5::pg_snapshot))
            AND ($6::text[] IS NULL OR i.type = ANY ($6::text[]))
          ORDER BY i.xid, i.id
          LIMIT $4::int) e ON true
      ORDER BY e.xid, e.id`,
    [businessId, after.xid, after.id, limit, hidden, types],
  );
  return { fenced: rows[0]?.fenced ?? false, fence: rows[0]?.fence ?? after.xid, events: rows.filter((r) => r.id !== null) as InboxEventRow[] };
}

/**
 * Where a subscription without a cursor starts: at the fence, hiding what its snapshot already
 * sees, so every event committed from now on (and nothing before) is delivered.
 */
export async function selectInboxEventStart(sql: Sql): Promise<{ position: InboxEventPosition; hidden: string }> {
  const rows = await sql.query<{ xmin: string; snapshot: string }>(`SELECT xmin::text AS xmin, snapshot::text AS snapshot FROM (${FENCE}) AS fence`);
  const row = rows[0];
  if (!row) throw new Error('internal error: pg_current_snapshot() returned no row');
  return { position: { xid: row.xmin, id: '0' }, hidden: row.snapshot };
}

/**
 * The position of event `id` of a business, for cursors issued before events carried their
 * transaction id (a bare event id). Events of that time have xid 0, as has an id no longer found.
 */
export async function selectInboxEventPosition(sql: Sql, businessId: string, id: string): Promise<InboxEventPosition> {
  const rows = await sql.query<{ xid: string }>(`SELECT coalesce((SELECT xid FROM inbox_events WHERE business_id = $1::text AND id = $2::bigint), '0')::text AS xid`, [businessId, id]);
  return { xid: rows[0]?.xid ?? '0', id };
}
