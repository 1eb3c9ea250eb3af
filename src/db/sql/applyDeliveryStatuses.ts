import type { Sql } from '../sqlHandle.js';

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

/**
 * Applies delivery reports to messages in ONE statement (one round trip, atomic), each report to
 * its own message: locks the messages, skips a report whose provider event was seen before (same
 * provider and provider event id), moves the status when `allowedFrom` contains the current one,
 * records every other report as a message event either way, applies consent signals to the
 * clients, and publishes message.status_changed (and client.updated) inbox events (announced
 * after COMMIT, or at once on the pool: eventsWritten).
 *
 * The reports must name distinct messages and carry at most one consent signal per client (an
 * UPDATE changes a row once per statement); the caller splits others into several calls. Returns
 * one row per report in order, null where no message matched.
 */
export async function applyDeliveryStatuses(sql: Sql, changes: DeliveryStatusChange[]): Promise<(DeliveryStatusRow | null)[]> {
  const input = changes.map((c, ord) => ({
    ord,
    message_id: 'messageId' in c.lookup ? c.lookup.messageId : null,
    lookup_provider: 'messageId' in c.lookup ? null : c.lookup.provider,
    lookup_provider_message_id: 'messageId' in c.lookup ? null : c.lookup.providerMessageId,
    business_id: c.businessId,
    channel: c.channel,
    status: c.status,
    allowed_from: c.allowedFrom,
    stamp_sent: c.stamp.sent,
    stamp_delivered: c.stamp.delivered,
    stamp_read: c.stamp.read,
    stamp_failure: c.stamp.failure,
    clear_error: c.stamp.clearError,
    event_type: c.eventType,
    provider: c.provider,
    provider_event_id: c.providerEventId,
    error_code: c.errorCode,
    error_message: c.errorMessage?.slice(0, 2000) ?? null,
    occurred_at: c.occurredAt.toISOString(),
    payload: c.payload,
    provider_message_id: c.providerMessageId,
    from_address: c.fromAddress,
    consent: c.consent,
    consent_reason: c.consentReason,
  }));
  const rows = await sql.query<DeliveryStatusRow & { ord: number }>(
    {
      name: 'omega_apply_delivery_statuses',
      text: `WITH input AS (
       SELECT * FROM json_to_recordset($1::json) AS i(
         ord int, message_id uuid, lookup_provider text, lookup_provider_message_id text, business_id text, channel channel,
         status message_status, allowed_from message_status[], stamp_sent boolean, stamp_delivered boolean, stamp_read boolean,
         stamp_failure boolean, clear_error boolean, event_type text, provider text, provider_event_id text, error_code text,
         error_message text, occurred_at timestamptz, payload jsonb, provider_message_id text, from_address text, consent text, consent_reason text)
     ), by_id AS (
       SELECT i.ord, m.id, m.business_id, m.conversation_id, m.client_id, m.channel, m.direction, m.status
         FROM input i JOIN messages m ON m.id = i.message_id
        WHERE (i.business_id IS NULL OR m.business_id = i.business_id) AND (i.channel IS NULL OR m.channel = i.channel)
        ORDER BY m.id
          FOR UPDATE OF m
     ), by_provider_id AS (
       SELECT i.ord, m.id, m.business_id, m.conversation_id, m.client_id, m.channel, m.direction, m.status
         FROM input i JOIN messages m ON m.provider = i.lookup_provider AND m.provider_message_id = i.lookup_provider_message_id
        WHERE i.message_id IS NULL AND (i.business_id IS NULL OR m.business_id = i.business_id) AND (i.channel IS NULL OR m.channel = i.channel)
        ORDER BY m.id
          FOR UPDATE OF m
     ), found AS (
       SELECT t.ord, t.id, t.business_id, t.conversation_id, t.client_id, t.channel, t.direction, t.status AS previous_status,
              i.status, i.stamp_sent, i.stamp_delivered, i.stamp_read, i.stamp_failure, i.clear_error, i.event_type, i.provider,
              i.provider_event_id, i.error_code, i.error_message, i.occurred_at, i.payload, i.provider_message_id, i.from_address,
              i.consent, i.consent_reason,
              (t.direction = 'outbound' AND t.status = ANY(i.allowed_from)) AS moves
         FROM (SELECT * FROM by_id UNION ALL SELECT * FROM by_provider_id) t
         JOIN input i ON i.ord = t.ord
     ), ev AS (
       -- Every report of an outbound message is kept as an event; one whose provider_event_id is
       -- already recorded conflicts on message_events(provider, provider_event_id) and is a
       -- duplicate: nothing else of it is applied. (The unique index decides, so two concurrent
       -- deliveries of one report cannot both apply; and no lookup plan depends on statistics.)
       INSERT INTO message_events (business_id, message_id, type, status, provider, provider_event_id, error_code, error_message, payload, occurred_at)
       SELECT f.business_id, f.id, f.event_type, f.status, f.provider, f.provider_event_id, f.error_code, f.error_message,
              coalesce(f.payload, '{}'::jsonb) || jsonb_build_object('previousStatus', f.previous_status, 'applied', f.moves), f.occurred_at
         FROM found f
        WHERE f.direction = 'outbound'
       ON CONFLICT (provider, provider_event_id) DO NOTHING
       RETURNING id::text, message_id
     ), decision AS (
       SELECT f.*, (f.direction = 'outbound' AND e.message_id IS NULL) AS duplicate, (f.moves AND e.message_id IS NOT NULL) AS apply
         FROM found f LEFT JOIN ev e ON e.message_id = f.id
     ), upd AS (
       UPDATE messages m SET
         status       = CASE WHEN d.apply THEN d.status ELSE m.status END,
         sent_at      = CASE WHEN d.apply AND d.stamp_sent THEN coalesce(m.sent_at, d.occurred_at) ELSE m.sent_at END,
         delivered_at = CASE WHEN d.apply AND d.stamp_delivered THEN coalesce(m.delivered_at, d.occurred_at) ELSE m.delivered_at END,
         read_at      = CASE WHEN d.apply AND d.stamp_read THEN coalesce(m.read_at, d.occurred_at) ELSE m.read_at END,
         failed_at    = CASE WHEN d.apply AND d.stamp_failure THEN d.occurred_at ELSE m.failed_at END,
         error_code    = CASE WHEN d.apply AND d.stamp_failure THEN d.error_code WHEN d.apply AND d.clear_error THEN NULL ELSE m.error_code END,
         error_message = CASE WHEN d.apply AND d.stamp_failure THEN d.error_message WHEN d.apply AND d.clear_error THEN NULL ELSE m.error_message END,
         provider            = CASE WHEN m.provider_message_id IS NULL AND d.provider_message_id IS NOT NULL THEN d.provider ELSE m.provider END,
         provider_message_id = coalesce(m.provider_message_id, d.provider_message_id),
         from_address        = coalesce(d.from_address, m.from_address),
         updated_at = now()
         FROM decision d
        WHERE m.id = d.id AND NOT d.duplicate AND d.direction = 'outbound'
          AND (d.apply OR (m.provider_message_id IS NULL AND d.provider_message_id IS NOT NULL))
       RETURNING m.id, m.status::text AS status, d.apply
     ), consent AS (
       UPDATE clients c SET
         sms_opt_out    = c.sms_opt_out OR d.consent = 'sms_opt_out',
         sms_opt_out_at = CASE WHEN d.consent = 'sms_opt_out' THEN d.occurred_at ELSE c.sms_opt_out_at END,
         email_suppressed         = c.email_suppressed OR d.consent = 'email_suppressed',
         email_suppressed_at      = CASE WHEN d.consent = 'email_suppressed' THEN d.occurred_at ELSE c.email_suppressed_at END,
         email_suppression_reason = CASE WHEN d.consent = 'email_suppressed' THEN d.consent_reason ELSE c.email_suppression_reason END,
         updated_at = now()
         FROM decision d
        WHERE c.id = d.client_id AND NOT d.duplicate AND d.direction = 'outbound'
          AND ((d.consent = 'sms_opt_out' AND NOT c.sms_opt_out) OR (d.consent = 'email_suppressed' AND NOT c.email_suppressed))
       RETURNING c.id, d.ord
     ), published AS (
       SELECT d.business_id, 'message.status_changed' AS type, d.conversation_id, d.id AS message_id, d.ord, 1 AS kind,
              jsonb_build_object('status', u.status, 'previousStatus', d.previous_status, 'channel', d.channel, 'errorCode', d.error_code) AS payload
         FROM decision d JOIN upd u ON u.id = d.id AND u.apply
       UNION ALL
       SELECT d.business_id, 'client.updated', d.conversation_id, NULL::uuid, d.ord, 2,
              jsonb_build_object('clientId', d.client_id, 'consent', d.consent, 'reason', d.consent_reason)
         FROM decision d JOIN consent k ON k.ord = d.ord
     ), ie AS (
       INSERT INTO inbox_events (business_id, type, conversation_id, message_id, payload)
       SELECT p.business_id, p.type, p.conversation_id, p.message_id, p.payload
         FROM published p
        ORDER BY p.ord, p.kind
       RETURNING id
     )
     SELECT d.ord, d.id::text, d.business_id, d.client_id::text, d.direction::text, d.previous_status::text AS previous_status,
            coalesce(u.status, d.previous_status::text) AS status, coalesce(u.apply, false) AS changed, d.duplicate,
            (SELECT e.id FROM ev e WHERE e.message_id = d.id LIMIT 1) AS event_id,
            EXISTS (SELECT 1 FROM consent k WHERE k.ord = d.ord) AS consent_changed
       FROM decision d LEFT JOIN upd u ON u.id = d.id`,
    },
    [JSON.stringify(input)],
  );
  sql.eventsWritten(rows.filter((r) => r.changed || r.consent_changed).map((r) => r.business_id));
  const byOrd = new Map(rows.map((r) => [r.ord, r]));
  return changes.map((_c, i) => {
    const row = byOrd.get(i);
    if (!row) return null;
    const { ord: _ord, ...rest } = row;
    return rest;
  });
}
