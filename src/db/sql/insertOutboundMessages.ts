import type { Sql } from '../sqlHandle.js';
import type { NewMessage } from './insertMessage.js';

// insertMessage's statement for many OUTBOUND messages at once (queued sends: queueBatch), one row
// per message: the messages, their conversations' summaries, the report facts (a staff reply, the
// day's volume) and the inbox events, in one round trip instead of one per message. It writes what
// insertMessage writes for an outbound message that is not a note (no unread count, no reopening,
// no auto-assignment, no opening: those are inbound's), and test/sending/bulkAppend.test.ts checks
// the rows against insertMessage's. Each conversation may appear once per statement (its summary
// is computed from its row as it was); the caller splits a batch into such waves, in order.
// The conversations are locked (FOR UPDATE, in id order) first, as every writer of them does.
const APPEND_OUTBOUND = `
WITH input AS (
  SELECT * FROM json_to_recordset($1::json) AS i(ord int, id uuid, conversation_id uuid, client_id uuid, location_id uuid, channel channel,
         status message_status, body text, subject text, html text, from_address text, to_address text, media jsonb, request_id text,
         idempotency_key text, author_staff_id uuid, scheduled_at timestamptz, metadata jsonb, created_at timestamptz, preview text, campaign_id uuid)
),
locked AS (
  SELECT c.id, c.status, c.location_id, c.assignee_id, c.opened_at, c.waiting_since, c.first_reply_at, c.last_message_at
    FROM conversations c WHERE c.id IN (SELECT conversation_id FROM input) AND c.business_id = $2::text
   ORDER BY c.id FOR UPDATE
),
m AS (
  INSERT INTO messages (id, business_id, conversation_id, client_id, location_id, channel, direction, status, body, subject, html,
                        from_address, to_address, media, request_id, idempotency_key, attempts, author_staff_id, mention_staff_ids,
                        scheduled_at, metadata, created_at, updated_at, campaign_id)
  SELECT coalesce(i.id, omega_uuid_v7()), $2::text, i.conversation_id, i.client_id, i.location_id, i.channel, 'outbound', i.status, i.body,
         i.subject, i.html, i.from_address, i.to_address, coalesce(i.media, '[]'::jsonb), i.request_id, i.idempotency_key, 0,
         i.author_staff_id, ARRAY[]::uuid[], i.scheduled_at, coalesce(i.metadata, '{}'::jsonb), i.created_at, $3::timestamptz, i.campaign_id
    FROM input i ORDER BY i.ord
  RETURNING id, conversation_id, channel, direction, status, author_staff_id, created_at
),
x AS (
  SELECT m.*, i.ord, i.preview, l.status AS conversation_status, l.location_id AS conversation_location_id, l.assignee_id, l.opened_at,
         l.waiting_since, l.first_reply_at,
         (l.last_message_at IS NULL OR l.last_message_at <= m.created_at) AS latest,
         m.author_staff_id IS NOT NULL AS staff_reply,
         ((m.created_at) AT TIME ZONE coalesce((SELECT b.time_zone FROM businesses b WHERE b.id = $2::text), 'UTC'))::date AS day
    FROM m JOIN input i ON i.id = m.id JOIN locked l ON l.id = m.conversation_id
),
conv AS (
  UPDATE conversations c SET
    last_message_at        = CASE WHEN latest THEN x.created_at ELSE c.last_message_at END,
    last_message_preview   = CASE WHEN latest THEN x.preview ELSE c.last_message_preview END,
    last_message_channel   = CASE WHEN latest THEN x.channel ELSE c.last_message_channel END,
    last_message_direction = CASE WHEN latest THEN x.direction ELSE c.last_message_direction END,
    last_message_id        = CASE WHEN latest THEN x.id ELSE c.last_message_id END,
    last_activity_at       = CASE WHEN latest THEN x.created_at ELSE c.last_activity_at END,
    last_outbound_at = greatest(c.last_outbound_at, x.created_at),
    waiting_since  = CASE WHEN staff_reply THEN NULL ELSE c.waiting_since END,
    first_reply_at = CASE WHEN staff_reply AND c.opened_at IS NOT NULL THEN coalesce(c.first_reply_at, x.created_at) ELSE c.first_reply_at END,
    updated_at    = now()
  FROM x
  WHERE c.id = x.conversation_id AND c.business_id = $2::text
  RETURNING c.id, c.status::text AS status
),
reply AS (
  INSERT INTO report_replies (message_id, business_id, conversation_id, location_id, channel, staff_id, assignee_id, replied_at,
                              waiting_since, opened_at, first)
  SELECT x.id, $2::text, x.conversation_id, x.conversation_location_id, x.channel, x.author_staff_id, x.assignee_id, x.created_at,
         x.waiting_since, x.opened_at, x.opened_at IS NOT NULL AND x.first_reply_at IS NULL
    FROM x WHERE x.staff_reply
),
volume AS (
  INSERT INTO report_conversation_days AS d (conversation_id, day, assignee_key, business_id, location_id,
                                             sms_in, sms_out, email_in, email_out, voice_in, voice_out)
  SELECT x.conversation_id, x.day, coalesce(x.assignee_id, '00000000-0000-0000-0000-000000000000'::uuid), $2::text, x.conversation_location_id,
         0, (x.channel = 'sms')::int, 0, (x.channel = 'email')::int, 0, (x.channel = 'voice')::int
    FROM x
  ON CONFLICT (conversation_id, day, assignee_key) DO UPDATE SET
    sms_out = d.sms_out + excluded.sms_out, email_out = d.email_out + excluded.email_out, voice_out = d.voice_out + excluded.voice_out
),
event AS (
  INSERT INTO inbox_events (business_id, type, conversation_id, message_id, payload)
  SELECT $2::text, 'message.created', x.conversation_id, x.id,
         jsonb_build_object('channel', x.channel, 'direction', x.direction, 'status', x.status,
                            'conversationStatus', coalesce(conv.status, x.conversation_status::text), 'reopened', false)
    FROM x LEFT JOIN conv ON conv.id = x.conversation_id ORDER BY x.ord
)
SELECT count(*)::int AS n FROM m`;

/** An outbound message to store with insertOutboundMessages (direction outbound, not a note). */
export type NewOutboundMessage = NewMessage & { id: string; createdAt: Date; preview: string; channel: 'sms' | 'email' };

/**
 * Stores outbound messages of one business, each in a different conversation, in one statement
 * (see APPEND_OUTBOUND); `now` is the rows' updated_at. Answers how many were stored.
 */
export async function insertOutboundMessages(sql: Sql, businessId: string, messages: NewOutboundMessage[], now: Date): Promise<number> {
  if (messages.length === 0) return 0;
  const rows = await sql.query<{ n: number }>(APPEND_OUTBOUND, [
    JSON.stringify(
      messages.map((d, ord) => ({
        ord,
        id: d.id,
        conversation_id: d.conversationId,
        client_id: d.clientId,
        location_id: d.locationId ?? null,
        channel: d.channel,
        status: d.status,
        body: d.body ?? null,
        subject: d.subject ?? null,
        html: d.html ?? null,
        from_address: d.fromAddress ?? null,
        to_address: d.toAddress ?? null,
        media: d.media ?? [],
        request_id: d.requestId ?? null,
        idempotency_key: d.idempotencyKey ?? null,
        author_staff_id: d.authorStaffId ?? null,
        scheduled_at: d.scheduledAt?.toISOString() ?? null,
        metadata: d.metadata ?? {},
        created_at: d.createdAt.toISOString(),
        preview: d.preview,
        campaign_id: d.campaignId ?? null,
      })),
    ),
    businessId,
    now,
  ]);
  sql.eventsWritten([businessId]);
  return rows[0]?.n ?? 0;
}
