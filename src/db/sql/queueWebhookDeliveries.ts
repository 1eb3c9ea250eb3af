import type { Sql } from '../sqlHandle.js';
import { FENCE } from './selectInboxEvents.js';

export interface QueuedWebhookDeliveries {
  endpointId: string;
  /** Deliveries added (events of the types the endpoint takes). */
  queued: number;
  /** Events read past the endpoint's cursor (the cursor moved past them all). */
  read: number;
  /** Committed events wait behind a running transaction: dispatch again shortly. */
  fenced: boolean;
  /**
   * A deliverer holds the endpoint's lease: it finds the new deliveries itself (it looks again after
   * letting the lease go, and letting it go waits for this statement's lock), so it needs no job.
   */
  leased: boolean;
  /** The endpoint's first pending delivery is due (or there was none before these): its deliverer has work now. */
  headDue: boolean;
}

/**
 * The dispatcher's step: for each enabled endpoint (of one business, or all) with events after its
 * cursor, reads up to `limit` of them in log order below the fence (the subscription's rule, so none
 * can commit behind the cursor later), queues a delivery for each event of a type it takes, and moves
 * its cursor past them, in one statement. Endpoints are locked while this runs, so two dispatchers
 * never queue one event twice: the second reads the moved cursor.
 */
export async function queueWebhookDeliveries(sql: Sql, businessId: string | null, limit: number): Promise<QueuedWebhookDeliveries[]> {
  const rows = await sql.query<{ endpoint_id: string; queued: number; read: number; fenced: boolean; leased: boolean; head_due: boolean }>(
    {
      name: 'omega_queue_webhook_deliveries',
      text: `WITH fence AS MATERIALIZED (${FENCE}),
     ep AS MATERIALIZED (
       SELECT w.id, w.business_id, w.event_types, w.cursor_xid, w.cursor_id, w.start_snapshot, w.lease_until
         FROM webhook_endpoints w
        WHERE ($1::text IS NULL OR w.business_id = $1::text) AND w.enabled
          AND EXISTS (SELECT 1 FROM inbox_events i WHERE i.business_id = w.business_id AND (i.xid, i.id) > (w.cursor_xid, w.cursor_id))
        ORDER BY w.id
        FOR UPDATE OF w
     ),
     ev AS MATERIALIZED (
       SELECT ep.id AS endpoint_id, ep.business_id, ep.event_types, e.id AS event_id, e.xid, e.type
         FROM ep CROSS JOIN LATERAL (
           SELECT i.id, i.xid, i.type FROM inbox_events i
            WHERE i.business_id = ep.business_id AND (i.xid, i.id) > (ep.cursor_xid, ep.cursor_id)
              AND i.xid < (SELECT xmin FROM fence)
              AND (ep.start_snapshot IS NULL OR NOT pg_visible_in_snapshot(i.xid, ep.start_snapshot))
            ORDER BY i.xid, i.id
            LIMIT $2::int) e
     ),
     ins AS (
       INSERT INTO webhook_deliveries (business_id, endpoint_id, event_id)
       SELECT business_id, endpoint_id, event_id FROM ev
        WHERE cardinality(event_types) = 0 OR type = ANY (event_types)
        ORDER BY endpoint_id, xid, event_id
       RETURNING endpoint_id
     ),
     moved AS (
       UPDATE webhook_endpoints w SET cursor_xid = last.xid, cursor_id = last.event_id
         FROM (SELECT DISTINCT ON (endpoint_id) endpoint_id, xid, event_id FROM ev ORDER BY endpoint_id, xid DESC, event_id DESC) last
        WHERE w.id = last.endpoint_id
       RETURNING w.id
     )
     SELECT ep.id::text AS endpoint_id,
            (SELECT count(*) FROM ins WHERE ins.endpoint_id = ep.id)::int AS queued,
            (SELECT count(*) FROM ev WHERE ev.endpoint_id = ep.id)::int AS read,
            EXISTS (SELECT 1 FROM inbox_events i
                     WHERE i.business_id = ep.business_id AND i.xid >= (SELECT xmin FROM fence) AND (i.xid, i.id) > (ep.cursor_xid, ep.cursor_id)
                       AND (ep.start_snapshot IS NULL OR NOT pg_visible_in_snapshot(i.xid, ep.start_snapshot))) AS fenced,
            coalesce(ep.lease_until > now(), false) AS leased,
            coalesce((SELECT d.next_attempt_at <= now() FROM webhook_deliveries d WHERE d.endpoint_id = ep.id AND d.status = 'pending' ORDER BY d.id LIMIT 1), true) AS head_due
       FROM ep`,
    },
    [businessId, limit],
  );
  return rows.map((r) => ({ endpointId: r.endpoint_id, queued: r.queued, read: r.read, fenced: r.fenced, leased: r.leased, headDue: r.head_due }));
}

/**
 * Enabled endpoints whose first pending delivery is due and that nobody delivers to (a lost job, a
 * crashed worker): their deliverers need waking. One in backoff (its head waits) is left alone.
 */
export async function selectStrandedWebhookEndpoints(sql: Sql): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `SELECT w.id::text AS id FROM webhook_endpoints w
      WHERE w.enabled AND (w.lease_until IS NULL OR w.lease_until < now())
        AND (SELECT d.next_attempt_at <= now() FROM webhook_deliveries d WHERE d.endpoint_id = w.id AND d.status = 'pending' ORDER BY d.id LIMIT 1)`,
  );
  return rows.map((r) => r.id);
}
