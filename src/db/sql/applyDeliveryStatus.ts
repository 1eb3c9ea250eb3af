import type { SqlExecutor } from './executor.js';

export interface DeliveryStatusChange {
  lookup: { messageId: string } | { provider: string; providerMessageId: string };
  /** Restrict the lookup to one business / channel (null: any). */
  businessId: string | null;
  channel: 'sms' | 'email' | null;
  /** The new status, or null to record the event without a status (e.g. "delivery delayed"). */
  status: string | null;
  /** Current statuses from which `status` may be reached (from the status machine). */
  allowedFrom: string[];
  /** What to stamp when the status is applied. */
  stamp: { sent: boolean; delivered: boolean; read: boolean; failure: boolean; clearError: boolean };
  eventType: string;
  provider: string | null;
  providerEventId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  occurredAt: Date;
  payload: Record<string, unknown>;
  /** Filled in when the message has none yet (the worker's acceptance, an early callback). */
  providerMessageId: string | null;
  fromAddress: string | null;
  consent: 'sms_opt_out' | 'email_suppressed' | null;
  consentReason: string | null;
}

export interface DeliveryStatusRow {
  id: string;
  business_id: string;
  client_id: string;
  direction: string;
  previous_status: string;
  status: string;
  changed: boolean;
  duplicate: boolean;
  event_id: string | null;
  consent_changed: boolean;
}

const BY_ID = 'id = $1::uuid AND $2::text IS NULL';
const BY_PROVIDER_ID = 'provider = $1::text AND provider_message_id = $2::text';

/**
 * Applies one delivery report to one message in a single statement (one round trip, atomic): locks
 * the message, skips a provider event already seen (same provider and provider event id), moves the
 * status when `allowedFrom` contains the current one, records the report as a message event either
 * way, applies a consent signal to the client, and publishes message.status_changed (and
 * client.updated) inbox events under the per-business ordering lock of insertInboxEvent.
 * Returns null when no message matches.
 */
export async function applyDeliveryStatus(sql: SqlExecutor, c: DeliveryStatusChange): Promise<DeliveryStatusRow | null> {
  const lookup = c.lookup;
  const byId = 'messageId' in lookup;
  const rows = await sql.query<DeliveryStatusRow>(
    `WITH target AS (
       SELECT id, business_id, conversation_id, client_id, channel, direction, status
         FROM messages
        WHERE ${byId ? BY_ID : BY_PROVIDER_ID}
          AND ($3::text IS NULL OR business_id = $3::text) AND ($4::channel IS NULL OR channel = $4::channel)
        FOR UPDATE
     ), dup AS (
       SELECT EXISTS (SELECT 1 FROM message_events WHERE $9::text IS NOT NULL AND provider = $8::text AND provider_event_id = $9::text) AS yes
     ), decision AS (
       SELECT t.id, t.status = ANY($6::message_status[]) AS apply
         FROM target t, dup WHERE NOT dup.yes AND t.direction = 'outbound'
     ), upd AS (
       UPDATE messages m SET
         status       = CASE WHEN d.apply THEN $5::message_status ELSE m.status END,
         sent_at      = CASE WHEN d.apply AND $15::boolean THEN coalesce(m.sent_at, $12::timestamptz) ELSE m.sent_at END,
         delivered_at = CASE WHEN d.apply AND $16::boolean THEN coalesce(m.delivered_at, $12::timestamptz) ELSE m.delivered_at END,
         read_at      = CASE WHEN d.apply AND $17::boolean THEN coalesce(m.read_at, $12::timestamptz) ELSE m.read_at END,
         failed_at    = CASE WHEN d.apply AND $18::boolean THEN $12::timestamptz ELSE m.failed_at END,
         error_code    = CASE WHEN d.apply AND $18::boolean THEN $10::text WHEN d.apply AND $19::boolean THEN NULL ELSE m.error_code END,
         error_message = CASE WHEN d.apply AND $18::boolean THEN $11::text WHEN d.apply AND $19::boolean THEN NULL ELSE m.error_message END,
         provider            = CASE WHEN m.provider_message_id IS NULL AND $14::text IS NOT NULL THEN $8::text ELSE m.provider END,
         provider_message_id = coalesce(m.provider_message_id, $14::text),
         from_address        = coalesce($20::text, m.from_address),
         updated_at = now()
         FROM decision d
        WHERE m.id = d.id AND (d.apply OR (m.provider_message_id IS NULL AND $14::text IS NOT NULL))
       RETURNING m.id, m.status::text AS status, d.apply
     ), ev AS (
       INSERT INTO message_events (business_id, message_id, type, status, provider, provider_event_id, error_code, error_message, payload, occurred_at)
       SELECT t.business_id, t.id, $7::text, $5::message_status, $8::text, $9::text, $10::text, $11::text,
              $13::jsonb || jsonb_build_object('previousStatus', t.status, 'applied', coalesce(u.apply, false)), $12::timestamptz
         FROM target t CROSS JOIN dup LEFT JOIN upd u ON u.id = t.id
        WHERE NOT dup.yes AND t.direction = 'outbound'
       ON CONFLICT (provider, provider_event_id) DO NOTHING
       RETURNING id::text
     ), consent AS (
       UPDATE clients c SET
         sms_opt_out    = c.sms_opt_out OR $21::text = 'sms_opt_out',
         sms_opt_out_at = CASE WHEN $21::text = 'sms_opt_out' THEN $12::timestamptz ELSE c.sms_opt_out_at END,
         email_suppressed         = c.email_suppressed OR $21::text = 'email_suppressed',
         email_suppressed_at      = CASE WHEN $21::text = 'email_suppressed' THEN $12::timestamptz ELSE c.email_suppressed_at END,
         email_suppression_reason = CASE WHEN $21::text = 'email_suppressed' THEN $22::text ELSE c.email_suppression_reason END,
         updated_at = now()
         FROM target t, dup
        WHERE c.id = t.client_id AND NOT dup.yes AND t.direction = 'outbound'
          AND (($21::text = 'sms_opt_out' AND NOT c.sms_opt_out) OR ($21::text = 'email_suppressed' AND NOT c.email_suppressed))
       RETURNING c.id
     ), lock AS (
       SELECT t.business_id, pg_advisory_xact_lock(hashtext('omega_inbox:' || t.business_id)) AS locked
         FROM target t
        WHERE EXISTS (SELECT 1 FROM upd WHERE upd.apply) OR EXISTS (SELECT 1 FROM consent)
     ), ie AS (
       INSERT INTO inbox_events (business_id, type, conversation_id, message_id, payload)
       SELECT e.business_id, e.type, e.conversation_id, e.message_id, e.payload
         FROM lock, (
           SELECT t.business_id, 'message.status_changed' AS type, t.conversation_id, t.id AS message_id, 1 AS ord,
                  jsonb_build_object('status', u.status, 'previousStatus', t.status, 'channel', t.channel, 'errorCode', $10::text) AS payload
             FROM target t JOIN upd u ON u.id = t.id AND u.apply
           UNION ALL
           SELECT t.business_id, 'client.updated', t.conversation_id, NULL::uuid, 2,
                  jsonb_build_object('clientId', t.client_id, 'consent', $21::text, 'reason', $22::text)
             FROM target t JOIN consent ON true
         ) e
        ORDER BY e.ord
       RETURNING id
     )
     SELECT t.id::text, t.business_id, t.client_id::text, t.direction::text, t.status::text AS previous_status,
            coalesce(u.status, t.status::text) AS status, coalesce(u.apply, false) AS changed, dup.yes AS duplicate,
            (SELECT id FROM ev LIMIT 1) AS event_id, EXISTS (SELECT 1 FROM consent) AS consent_changed
       FROM target t CROSS JOIN dup LEFT JOIN upd u ON u.id = t.id`,
    [
      'messageId' in lookup ? lookup.messageId : lookup.provider,
      'messageId' in lookup ? null : lookup.providerMessageId,
      c.businessId,
      c.channel,
      c.status,
      c.allowedFrom,
      c.eventType,
      c.provider,
      c.providerEventId,
      c.errorCode,
      c.errorMessage?.slice(0, 2000) ?? null,
      c.occurredAt,
      JSON.stringify(c.payload),
      c.providerMessageId,
      c.stamp.sent,
      c.stamp.delivered,
      c.stamp.read,
      c.stamp.failure,
      c.stamp.clearError,
      c.fromAddress,
      c.consent,
      c.consentReason,
    ],
  );
  return rows[0] ?? null;
}
