// Set-based SQL of the inbox data set (bench/seed-inbox.ts). Messages are generated in PostgreSQL
// from the plan table (INSERT ... SELECT over generate_series); conversations then get the summary
// that appendMessage would have left (SUMMARY below, also used to check the load against appendMessage).

/** Session helpers: a UUIDv7 at a given time (ids sort by creation time, as omega_uuid_v7() makes them), a pick from a list, placeholder filling. */
export const SESSION_FUNCTIONS = [
  `CREATE OR REPLACE FUNCTION pg_temp.uuid7_at(ts timestamptz) RETURNS uuid LANGUAGE sql VOLATILE AS $$
     SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
       PLACING substring(int8send(floor(extract(epoch FROM ts) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid $$`,
  `CREATE OR REPLACE FUNCTION pg_temp.pick(a text[], r float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
     SELECT a[1 + least(floor(r * cardinality(a))::int, cardinality(a) - 1)] $$`,
  `CREATE OR REPLACE FUNCTION pg_temp.fill(t text, service text, day text, at text, staff text, first text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
     SELECT replace(replace(replace(replace(replace(replace(t, '{service}', service), '{day}', day), '{time}', at), '{staff}', staff),
                    '{first}', first), '{staffHandle}', lower(staff)) $$`,
];

/** Plan rows (one per client and conversation) from parallel arrays; ids are UUIDv7 at the creation times. */
export const INSERT_PLAN = `
INSERT INTO bench_plan (conv_seq, business_id, client_id, conv_id, location_id, assignee_id, n, t_start, t_end, unread_tail, status,
  snoozed_until, pinned, muted, client_created, conv_created, client_ext, client_first, client_last, client_phone, client_email,
  client_type, client_groups, loc_phone, loc_email, staff_count)
SELECT $1::int + u.ord, u.business_id, pg_temp.uuid7_at(to_timestamp(u.client_created / 1000)), pg_temp.uuid7_at(to_timestamp(u.t_start / 1000) - interval '30 seconds'),
       l.id, s.id, u.n, to_timestamp(u.t_start / 1000), to_timestamp(u.t_end / 1000), u.unread_tail, u.status,
       to_timestamp(u.snoozed_until / 1000), u.pinned, u.muted, to_timestamp(u.client_created / 1000), date_trunc('milliseconds', to_timestamp(u.t_start / 1000) - interval '30 seconds'),
       u.client_ext, u.first, u.last, u.phone, u.email, u.type, string_to_array(u.groups, ','), l.sms_phone_number, l.email_from,
       (SELECT count(*) FROM staff x WHERE x.business_id = u.business_id)::int
  FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
              $12::int[], $13::float8[], $14::float8[], $15::float8[], $16::int[], $17::text[], $18::float8[], $19::bool[], $20::bool[])
       WITH ORDINALITY AS u(business_id, client_ext, first, last, phone, email, type, groups, location_ext, assignee_ext,
                            n, t_start, t_end, client_created, unread_tail, status, snoozed_until, pinned, muted, ord)
  JOIN locations l ON l.business_id = u.business_id AND l.external_id = u.location_ext
  LEFT JOIN staff s ON s.business_id = u.business_id AND s.external_id = u.assignee_ext`;

export const INSERT_CLIENTS = `
INSERT INTO clients (id, business_id, external_id, first_name, last_name, phones, emails, home_location_id, type, groups, created_at, updated_at)
SELECT p.client_id, p.business_id, p.client_ext, p.client_first, p.client_last, ARRAY[p.client_phone],
       CASE WHEN p.client_email IS NULL THEN ARRAY[]::text[] ELSE ARRAY[p.client_email] END,
       p.location_id, p.client_type, p.client_groups, p.client_created, p.client_created
  FROM bench_plan p`;

/**
 * The messages of the plan rows with conv_seq % $2 = $1 (two connections load halves in parallel),
 * inserted in time order so the heap is laid out as a live system's (a long conversation's messages
 * spread over many pages, interleaved with everyone else's), not clustered by conversation.
 * $3..$16: vocabulary arrays; $17: the load's "now". The last `unread_tail` messages of a
 * conversation are unseen inbound ones; every other inbound message was seen within hours.
 */
export const INSERT_MESSAGES = `
INSERT INTO messages (id, business_id, conversation_id, client_id, location_id, channel, direction, status, body, subject,
  from_address, to_address, provider, provider_message_id, request_id, error_code, error_message, attempts, author_staff_id,
  sent_at, delivered_at, failed_at, seen_at, created_at, updated_at)
SELECT m.id, m.business_id, m.conv_id, m.client_id, m.location_id, m.channel::channel, m.direction::direction, m.status::message_status,
       pg_temp.fill(m.body, m.service, m.day, m.at, m.staff, m.client_first), pg_temp.fill(m.subject, m.service, m.day, m.at, m.staff, m.client_first),
       CASE m.direction WHEN 'inbound' THEN m.client_addr WHEN 'outbound' THEN m.biz_addr END,
       CASE m.direction WHEN 'inbound' THEN m.biz_addr WHEN 'outbound' THEN m.client_addr END,
       m.provider,
       CASE m.channel WHEN 'sms' THEN 'SM' || replace(m.id::text, '-', '') WHEN 'voice' THEN 'CA' || replace(m.id::text, '-', '') WHEN 'email' THEN m.id::text END,
       CASE WHEN m.direction = 'outbound' AND m.channel IN ('sms', 'email') THEN 'req_' || left(md5(m.id::text), 20) END,
       CASE m.status WHEN 'undelivered' THEN '30003' WHEN 'failed' THEN '30005' END,
       CASE m.status WHEN 'undelivered' THEN 'Unreachable destination handset' WHEN 'failed' THEN 'Unknown destination' END,
       CASE WHEN m.direction = 'outbound' THEN 1 ELSE 0 END,
       CASE WHEN m.channel = 'note' OR (m.direction = 'outbound' AND m.r5 < 0.5) THEN st.id END,
       m.sent_at, m.delivered_at, m.failed_at, m.seen_at, m.ts, greatest(m.ts, m.delivered_at, m.failed_at, m.seen_at)
FROM (
  SELECT s.*, pg_temp.uuid7_at(s.ts) AS id,
         CASE WHEN s.channel = 'email' THEN s.client_email ELSE s.client_phone END AS client_addr,
         CASE WHEN s.channel = 'email' THEN s.loc_email ELSE s.loc_phone END AS biz_addr,
         CASE s.channel WHEN 'sms' THEN 'twilio' WHEN 'voice' THEN 'twilio' WHEN 'email' THEN 'resend' END AS provider,
         CASE WHEN s.direction = 'inbound' THEN 'received' WHEN s.channel = 'note' THEN 'recorded' WHEN s.channel = 'voice' THEN 'sent'
              WHEN s.r_st < 0.88 THEN 'delivered' WHEN s.r_st < 0.95 THEN 'sent' WHEN s.r_st < 0.98 THEN 'undelivered' ELSE 'failed' END AS status,
         CASE WHEN s.direction = 'outbound' THEN s.ts END AS sent_at,
         CASE WHEN s.direction = 'outbound' AND s.channel <> 'voice' AND s.r_st < 0.88 THEN s.ts + interval '3 seconds' END AS delivered_at,
         CASE WHEN s.direction = 'outbound' AND s.channel <> 'voice' AND s.r_st >= 0.95 THEN s.ts + interval '5 seconds' END AS failed_at,
         CASE WHEN s.direction = 'inbound' AND NOT s.in_tail THEN least($17::timestamptz, s.ts + (1 + s.r_st * 180) * interval '1 minute') END AS seen_at,
         CASE s.channel
           WHEN 'note' THEN pg_temp.pick($6::text[], s.r1)
           WHEN 'voice' THEN CASE WHEN s.direction = 'inbound' AND s.r1 < 0.6 THEN pg_temp.pick($11::text[], s.r2)
                                  WHEN s.direction = 'outbound' AND s.r1 < 0.3 THEN pg_temp.pick($12::text[], s.r2) END
           WHEN 'email' THEN CASE WHEN s.direction = 'inbound'
                                  THEN 'Hello, ' || pg_temp.pick($10::text[], s.r1) || ' ' || pg_temp.pick($10::text[], s.r2) || ' Thanks, {first}'
                                  ELSE 'Hi {first}, ' || pg_temp.pick($8::text[], s.r1) || ' ' || pg_temp.pick($8::text[], s.r2) || ' ' || pg_temp.pick($8::text[], s.r3) || ' Warm regards, {staff} and the team.' END
           ELSE CASE WHEN s.direction = 'inbound'
                     THEN pg_temp.pick($3::text[], s.r1) || CASE WHEN s.r2 < 0.3 THEN ' ' || pg_temp.pick($4::text[], s.r2 / 0.3) ELSE '' END
                     ELSE pg_temp.pick($5::text[], s.r1) || CASE WHEN s.r2 < 0.1 THEN ' Reply STOP to opt out.' ELSE '' END END
         END AS body,
         CASE WHEN s.channel = 'email' THEN pg_temp.pick(CASE WHEN s.direction = 'inbound' THEN $9::text[] ELSE $7::text[] END, s.r4) END AS subject,
         pg_temp.pick($13::text[], s.r_svc) AS service, pg_temp.pick($14::text[], s.r_day) AS day, pg_temp.pick($15::text[], s.r_time) AS at, pg_temp.pick($16::text[], s.r_staff) AS staff
    FROM (
      SELECT r.*,
             CASE WHEN r.in_tail THEN CASE WHEN r.r_ch < 0.85 OR r.client_email IS NULL THEN 'sms' ELSE 'email' END
                  WHEN r.r_ch < 0.08 THEN 'note' WHEN r.r_ch < 0.15 THEN 'voice'
                  WHEN r.r_ch < 0.31 AND r.client_email IS NOT NULL THEN 'email' ELSE 'sms' END AS channel,
             CASE WHEN r.in_tail THEN 'inbound' WHEN r.r_ch < 0.08 THEN 'internal' WHEN r.r_dir < 0.5 THEN 'inbound' ELSE 'outbound' END AS direction,
             date_trunc('milliseconds', CASE WHEN r.k = r.n THEN r.t_end ELSE r.t_start + (r.t_end - r.t_start) * ((r.k - 1 + 0.35 * r.r_t) / r.n) END) AS ts
        FROM (
          SELECT p.business_id, p.conv_id, p.client_id, p.location_id, p.client_first, p.client_phone, p.client_email, p.loc_phone, p.loc_email,
                 p.n, p.t_start, p.t_end, p.staff_count, k, k > p.n - p.unread_tail AS in_tail,
                 random() AS r_ch, random() AS r_dir, random() AS r_t, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
                 random() AS r_st, random() AS r_svc, random() AS r_day, random() AS r_time, random() AS r_staff, random() AS r_author
            FROM bench_plan p, generate_series(1, p.n) AS k
           WHERE p.conv_seq % $2::int = $1::int
        ) r
    ) s
) m
LEFT JOIN bench_staff st ON st.business_id = m.business_id AND st.idx = 1 + floor(m.r_author * m.staff_count)::int
ORDER BY m.ts`;

/** appendMessage's preview (messagePreview): body, else subject, else "Voice call"; whitespace folded; 160 characters at most. */
const PREVIEW = `(SELECT CASE WHEN length(t) > 160 THEN left(t, 159) || '…' ELSE t END FROM (SELECT regexp_replace(coalesce(
   nullif(btrim(l.body, E' \\t\\n\\r'), ''), nullif(btrim(l.subject, E' \\t\\n\\r'), ''), CASE WHEN l.channel = 'voice' THEN 'Voice call' ELSE '' END), '\\s+', ' ', 'g') AS t) x)`;

/**
 * A conversation's summary from its messages, as appendMessage leaves it after appending them in
 * time order: the last non-note message (preview, channel, direction, id, time), the last inbound
 * and outbound times, and the unseen inbound messages. `where` filters messages m (or is empty).
 */
export function summarySql(where: string): string {
  const and = where ? `${where} AND` : 'WHERE';
  return `
SELECT a.conversation_id, l.id AS last_message_id, l.created_at AS last_message_at, ${PREVIEW} AS last_message_preview,
       l.channel AS last_message_channel, l.direction AS last_message_direction,
       a.last_inbound_at, a.last_outbound_at, a.unread_count, a.last_any_at
  FROM (SELECT m.conversation_id,
               max(m.created_at) FILTER (WHERE m.direction = 'inbound') AS last_inbound_at,
               max(m.created_at) FILTER (WHERE m.direction = 'outbound') AS last_outbound_at,
               count(*) FILTER (WHERE m.direction = 'inbound' AND m.seen_at IS NULL)::int AS unread_count,
               max(m.created_at) AS last_any_at
          FROM messages m ${where} GROUP BY m.conversation_id) a
  LEFT JOIN (SELECT DISTINCT ON (m.conversation_id) m.conversation_id, m.id, m.created_at, m.body, m.subject, m.channel, m.direction
               FROM messages m ${and} m.channel <> 'note'
              ORDER BY m.conversation_id, m.created_at DESC, m.id DESC) l ON l.conversation_id = a.conversation_id`;
}

export const INSERT_CONVERSATIONS = `
INSERT INTO conversations (id, business_id, client_id, location_id, status, snoozed_until, pinned, muted, assignee_id,
  last_message_at, last_message_preview, last_message_channel, last_message_direction, last_message_id, last_activity_at,
  last_inbound_at, last_outbound_at, unread_count, created_at, updated_at)
SELECT p.conv_id, p.business_id, p.client_id, p.location_id, p.status::conversation_status, p.snoozed_until, p.pinned, p.muted, p.assignee_id,
       s.last_message_at, s.last_message_preview, s.last_message_channel, s.last_message_direction, s.last_message_id,
       coalesce(s.last_message_at, p.conv_created), s.last_inbound_at, s.last_outbound_at, coalesce(s.unread_count, 0), p.conv_created,
       greatest(p.conv_created, s.last_any_at)
  FROM bench_plan p LEFT JOIN (${summarySql('')}) s ON s.conversation_id = p.conv_id`;

/** The log behind inboxEvents for the last 30 days (older events are pruned daily), in commit order. */
export const INSERT_INBOX_EVENTS = `
INSERT INTO inbox_events (business_id, type, conversation_id, message_id, payload, created_at)
SELECT m.business_id, 'message.created', m.conversation_id, m.id,
       jsonb_build_object('channel', m.channel, 'direction', m.direction, 'status', m.status, 'conversationStatus', 'open', 'reopened', false), m.created_at
  FROM messages m
 WHERE m.created_at >= $1::timestamptz - interval '30 days'
 ORDER BY m.created_at, m.id`;

/**
 * The report facts (report_openings, report_replies, report_conversation_days) and the conversations'
 * report state (opened_at, waiting_since, first_reply_at) as insertMessage leaves them after appending
 * the messages in time order to conversations that were never archived in between (the data set
 * archives only after the last message). `where` filters messages m (or is empty). Rows of `s`:
 * each message with the staff replies before it and the first inbound before it.
 */
function factsBase(where: string): string {
  return `
  SELECT x.*, min(x.created_at) FILTER (WHERE x.is_in) OVER (PARTITION BY x.conversation_id, x.replies_before) AS waiting_from,
         min(x.replies_before) FILTER (WHERE x.is_in) OVER (PARTITION BY x.conversation_id) AS replies_before_opening
    FROM (SELECT m.id, m.business_id, m.conversation_id, m.channel, m.direction, m.author_staff_id, m.created_at,
                 m.direction = 'inbound' AS is_in,
                 m.direction = 'outbound' AND m.author_staff_id IS NOT NULL AND m.channel <> 'note' AS is_reply,
                 count(*) FILTER (WHERE m.direction = 'outbound' AND m.author_staff_id IS NOT NULL AND m.channel <> 'note')
                   OVER (PARTITION BY m.conversation_id ORDER BY m.created_at, m.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS replies_before,
                 min(m.created_at) FILTER (WHERE m.direction = 'inbound')
                   OVER (PARTITION BY m.conversation_id ORDER BY m.created_at, m.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS opened_before
            FROM messages m ${where}) x`;
}

export function openingsSql(where: string): string {
  return `
SELECT s.id AS message_id, s.business_id, s.conversation_id, c.location_id, s.channel, c.assignee_id, s.created_at AS opened_at
  FROM (${factsBase(where)}) s JOIN conversations c ON c.id = s.conversation_id
 WHERE s.is_in AND s.opened_before IS NULL`;
}

export function repliesSql(where: string): string {
  return `
SELECT s.id AS message_id, s.business_id, s.conversation_id, c.location_id, s.channel, s.author_staff_id AS staff_id, c.assignee_id,
       s.created_at AS replied_at, s.waiting_from AS waiting_since, s.opened_before AS opened_at,
       s.opened_before IS NOT NULL AND s.replies_before = s.replies_before_opening AS first
  FROM (${factsBase(where)}) s JOIN conversations c ON c.id = s.conversation_id
 WHERE s.is_reply`;
}

export function conversationDaysSql(where: string): string {
  const and = where ? `${where} AND` : 'WHERE';
  return `
SELECT m.conversation_id, (m.created_at AT TIME ZONE b.time_zone)::date AS day, coalesce(c.assignee_id, '00000000-0000-0000-0000-000000000000'::uuid) AS assignee_key,
       m.business_id, c.location_id,
       count(*) FILTER (WHERE m.channel = 'sms' AND m.direction = 'inbound')::int AS sms_in, count(*) FILTER (WHERE m.channel = 'sms' AND m.direction = 'outbound')::int AS sms_out,
       count(*) FILTER (WHERE m.channel = 'email' AND m.direction = 'inbound')::int AS email_in, count(*) FILTER (WHERE m.channel = 'email' AND m.direction = 'outbound')::int AS email_out,
       count(*) FILTER (WHERE m.channel = 'voice' AND m.direction = 'inbound')::int AS voice_in, count(*) FILTER (WHERE m.channel = 'voice' AND m.direction = 'outbound')::int AS voice_out
  FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN businesses b ON b.id = m.business_id
  ${and} m.channel <> 'note'
 GROUP BY 1, 2, 3, 4, 5`;
}

/** The conversations' report state: the first inbound, the first inbound after the last staff reply, the first reply after the opening. */
export function reportStateSql(where: string): string {
  return `
SELECT s.conversation_id, min(s.created_at) FILTER (WHERE s.is_in) AS opened_at,
       min(s.created_at) FILTER (WHERE s.is_in AND s.replies_before = t.replies) AS waiting_since,
       min(s.created_at) FILTER (WHERE s.is_reply AND s.opened_before IS NOT NULL) AS first_reply_at
  FROM (${factsBase(where)}) s
  JOIN (SELECT m.conversation_id, count(*) FILTER (WHERE m.direction = 'outbound' AND m.author_staff_id IS NOT NULL AND m.channel <> 'note') AS replies
          FROM messages m ${where} GROUP BY 1) t ON t.conversation_id = s.conversation_id
 GROUP BY s.conversation_id`;
}

export const INSERT_REPORT_FACTS = [
  `INSERT INTO report_openings (message_id, business_id, conversation_id, location_id, channel, assignee_id, opened_at) ${openingsSql('')}`,
  `INSERT INTO report_replies (message_id, business_id, conversation_id, location_id, channel, staff_id, assignee_id, replied_at, waiting_since, opened_at, first) ${repliesSql('')}`,
  `INSERT INTO report_conversation_days (conversation_id, day, assignee_key, business_id, location_id, sms_in, sms_out, email_in, email_out, voice_in, voice_out) ${conversationDaysSql('')}`,
  `UPDATE conversations c SET opened_at = r.opened_at, waiting_since = r.waiting_since, first_reply_at = r.first_reply_at
     FROM (${reportStateSql('')}) r WHERE r.conversation_id = c.id`,
];

/**
 * Status history as the triggers on conversations would have written it (they do not fire during
 * the load: session_replication_role = replica): created open; archived an hour after the last
 * message (the plan archives only conversations quiet for 60+ days); snoozed a minute after it.
 */
export const INSERT_STATUS_HISTORY = `
INSERT INTO conversation_status_changes (business_id, conversation_id, location_id, from_status, to_status, assignee_id, staff_id, reason, opened_at, changed_at)
SELECT c.business_id, c.id, c.location_id, NULL::conversation_status, 'open'::conversation_status, c.assignee_id, NULL::uuid, 'created', NULL::timestamptz, c.created_at FROM conversations c
UNION ALL
SELECT c.business_id, c.id, c.location_id, 'open'::conversation_status, c.status, c.assignee_id, c.assignee_id, 'staff', c.opened_at,
       c.last_activity_at + CASE WHEN c.status = 'archived' THEN interval '1 hour' ELSE interval '1 minute' END
  FROM conversations c WHERE c.status <> 'open'`;
