import type { Sql } from '../sqlHandle.js';

/** A delivery as the delivery log shows it, with the event it carries (type, log position). */
export interface WebhookDeliveryRow {
  id: string;
  business_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  event_xid: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  trigger: string;
  delivered_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Which deliveries of a business: of one endpoint, of one event, one delivery, in one status (null: any). */
export interface WebhookDeliveryFilter {
  businessId: string;
  endpointId: string | null;
  eventId: string | null;
  deliveryId: string | null;
  status: string | null;
}

export interface WebhookDeliveryWindow {
  /** Rows older than this delivery id (newest first), or newer (oldest first). */
  afterId: string | null;
  /** Rows on the other side of this id. */
  beforeId: string | null;
  limit: number;
  offset: number;
  oldestFirst: boolean;
}

/** The filter's condition on `d` (webhook_deliveries), over filterValues' five parameters. */
export const DELIVERY_FILTER = `d.business_id = $1::text
   AND ($2::uuid IS NULL OR d.endpoint_id = $2::uuid)
   AND ($3::bigint IS NULL OR d.event_id = $3::bigint)
   AND ($4::bigint IS NULL OR d.id = $4::bigint)
   AND ($5::text IS NULL OR d.status = $5::text)`;

/** The values of DELIVERY_FILTER's parameters $1 to $5. */
export const filterValues = (f: WebhookDeliveryFilter) => [f.businessId, f.endpointId, f.eventId, f.deliveryId, f.status];

/**
 * Deliveries of a business by id (newest first, or oldest first), keyset-paged on id: on the
 * (endpoint_id, id) index for an endpoint's, the event_id index for an event's.
 */
export async function selectWebhookDeliveries(sql: Sql, filter: WebhookDeliveryFilter, window: WebhookDeliveryWindow): Promise<WebhookDeliveryRow[]> {
  // The list is newest first: "after" a cursor means older ids, "before" it newer ones, whichever way
  // the rows are read (oldest first reads the ids nearest a `before` cursor first: a backward page).
  const [after, before, order] = ['<', '>', window.oldestFirst ? 'ASC' : 'DESC'];
  return sql.query<WebhookDeliveryRow>(
    `SELECT d.id::text AS id, d.business_id, d.endpoint_id::text AS endpoint_id, d.event_id::text AS event_id, e.type AS event_type, e.xid::text AS event_xid,
            d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error, d.trigger, d.delivered_at, d.created_at, d.updated_at
       FROM webhook_deliveries d
       JOIN inbox_events e ON e.id = d.event_id
      WHERE ${DELIVERY_FILTER}
        AND ($6::bigint IS NULL OR d.id ${after} $6::bigint)
        AND ($7::bigint IS NULL OR d.id ${before} $7::bigint)
      ORDER BY d.id ${order}
      LIMIT $8::int OFFSET $9::int`,
    [...filterValues(filter), window.afterId, window.beforeId, window.limit, window.offset],
  );
}
