import type { Sql } from '../sqlHandle.js';
import type { InboxEventRow } from './selectInboxEvents.js';

export interface LeasedWebhookEndpoint {
  id: string;
  businessId: string;
  url: string;
  secretEncrypted: string;
  previousSecretEncrypted: string | null;
  previousSecretExpiresAt: Date | null;
  failingSince: Date | null;
  /** The lease's end; it is also the lease's token (release and renew name it). */
  leaseUntil: Date;
}

const ENDPOINT_COLUMNS = `id::text AS id, business_id AS "businessId", url, secret_encrypted AS "secretEncrypted",
  previous_secret_encrypted AS "previousSecretEncrypted", previous_secret_expires_at AS "previousSecretExpiresAt",
  failing_since AS "failingSince", lease_until AS "leaseUntil"`;

/**
 * Takes an enabled endpoint's delivery lease for `leaseMs` unless someone holds it: one deliverer
 * per endpoint at a time, so its deliveries go out in order. A lease, not a lock: no transaction
 * stays open while a request waits for the receiver (which would hold back every log reader's fence).
 */
export async function leaseWebhookEndpoint(sql: Sql, endpointId: string, leaseMs: number): Promise<LeasedWebhookEndpoint | null> {
  const rows = await sql.query<LeasedWebhookEndpoint>(
    {
      name: 'omega_lease_webhook_endpoint',
      text: `UPDATE webhook_endpoints SET lease_until = now() + make_interval(secs => $2::int / 1000.0)
              WHERE id = $1::uuid AND enabled AND (lease_until IS NULL OR lease_until < now())
              RETURNING ${ENDPOINT_COLUMNS}`,
    },
    [endpointId, leaseMs],
  );
  return rows[0] ?? null;
}

/** Lets the lease go (if it is still ours). */
export async function releaseWebhookLease(sql: Sql, endpointId: string, leaseUntil: Date): Promise<void> {
  await sql.query({ name: 'omega_release_webhook_lease', text: `UPDATE webhook_endpoints SET lease_until = NULL WHERE id = $1::uuid AND lease_until = $2::timestamptz` }, [endpointId, leaseUntil]);
}

export interface PendingWebhookDelivery {
  id: string;
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  event: InboxEventRow;
}

/** The endpoint's next pending deliveries in queue order (due or not: the first decides when the queue moves), with their events. */
export async function selectPendingWebhookDeliveries(sql: Sql, endpointId: string, limit: number): Promise<PendingWebhookDelivery[]> {
  const rows = await sql.query<{ id: string; attempts: number; next_attempt_at: Date; d_created_at: Date } & InboxEventRow>(
    {
      name: 'omega_select_pending_webhook_deliveries',
      text: `SELECT d.id::text AS id, d.attempts, d.next_attempt_at, d.created_at AS d_created_at,
                    e.xid::text AS xid, e.id::text AS event_id, e.business_id, e.type, e.conversation_id, e.message_id, e.payload, e.created_at
               FROM webhook_deliveries d JOIN inbox_events e ON e.id = d.event_id
              WHERE d.endpoint_id = $1::uuid AND d.status = 'pending'
              ORDER BY d.id
              LIMIT $2::int`,
    },
    [endpointId, limit],
  );
  return rows.map((r) => {
    const row = r as unknown as Record<string, unknown>;
    return {
      id: r.id,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
      createdAt: r.d_created_at,
      event: {
        xid: r.xid,
        id: row['event_id'] as string,
        business_id: r.business_id,
        type: r.type,
        conversation_id: r.conversation_id,
        message_id: r.message_id,
        payload: r.payload,
        created_at: r.created_at,
      },
    };
  });
}

export interface WebhookAttemptRecord {
  deliveryId: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseBody: string | null;
  /** 'delivered', 'pending' (another attempt at nextAttemptAt) or 'failed' (no more attempts). */
  status: 'delivered' | 'pending' | 'failed';
  nextAttemptAt: Date | null;
}

/**
 * Attempts of one endpoint's deliveries, in queue order, in one statement: their rows, their
 * deliveries' state, and the endpoint's run of failures (cleared when the last attempt succeeded)
 * and lease (renewed for `leaseMs`). Answers the endpoint's failing_since and new lease end; null,
 * writing nothing, when the lease is no longer ours or the endpoint was disabled meanwhile (stop
 * sending: whoever holds the endpoint now sends those deliveries again).
 */
export async function recordWebhookAttempts(
  sql: Sql,
  endpoint: { id: string; businessId: string },
  attempts: readonly WebhookAttemptRecord[],
  lease: { until: Date; ms: number },
): Promise<{ failingSince: Date | null; leaseUntil: Date } | null> {
  const last = attempts.at(-1);
  const rows = await sql.query<{ failing_since: Date | null; lease_until: Date }>(
    {
      name: 'omega_record_webhook_attempts',
      text: `WITH lease AS (
       UPDATE webhook_endpoints
          SET failing_since = CASE WHEN $4::boolean THEN NULL ELSE coalesce(failing_since, now()) END,
              lease_until = now() + make_interval(secs => $5::int / 1000.0)
        WHERE id = $1::uuid AND lease_until = $6::timestamptz AND enabled
        RETURNING failing_since, lease_until
     ), a AS MATERIALIZED (
       SELECT * FROM jsonb_to_recordset($3::jsonb)
           AS x(delivery_id bigint, status_code int, latency_ms int, error text, response_body text, status text, next_attempt_at timestamptz)
     ), attempt AS (
       INSERT INTO webhook_attempts (business_id, endpoint_id, delivery_id, status_code, latency_ms, error, response_body)
       SELECT $2::text, $1::uuid, a.delivery_id, a.status_code, a.latency_ms, a.error, a.response_body
         FROM a JOIN webhook_deliveries d ON d.id = a.delivery_id
        WHERE EXISTS (SELECT 1 FROM lease)
        ORDER BY a.delivery_id
     ), delivery AS (
       UPDATE webhook_deliveries d
          SET status = a.status, attempts = d.attempts + 1, next_attempt_at = coalesce(a.next_attempt_at, d.next_attempt_at),
              last_status_code = a.status_code, last_error = a.error,
              delivered_at = CASE WHEN a.status = 'delivered' THEN now() ELSE d.delivered_at END, updated_at = now()
         FROM a WHERE d.id = a.delivery_id AND d.status = 'pending' AND EXISTS (SELECT 1 FROM lease)
     )
     SELECT failing_since, lease_until FROM lease`,
    },
    [
      endpoint.id,
      endpoint.businessId,
      JSON.stringify(
        attempts.map((a) => ({
          delivery_id: a.deliveryId,
          status_code: a.statusCode,
          latency_ms: a.latencyMs,
          error: a.error,
          response_body: a.responseBody,
          status: a.status,
          next_attempt_at: a.nextAttemptAt?.toISOString() ?? null,
        })),
      ),
      last?.status === 'delivered',
      lease.ms,
      lease.until,
    ],
  );
  const row = rows[0];
  return row ? { failingSince: row.failing_since, leaseUntil: row.lease_until } : null;
}

/** Disables an enabled endpoint for `reason` ('gone', 'failing'); answers it if this call disabled it. */
export async function disableWebhookEndpoint(sql: Sql, endpointId: string, reason: string): Promise<{ businessId: string; url: string; failingSince: Date | null } | null> {
  const rows = await sql.query<{ businessId: string; url: string; failingSince: Date | null }>(
    `UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2::text, disabled_at = now(), lease_until = NULL, updated_at = now()
      WHERE id = $1::uuid AND enabled
      RETURNING business_id AS "businessId", url, failing_since AS "failingSince"`,
    [endpointId, reason],
  );
  return rows[0] ?? null;
}
