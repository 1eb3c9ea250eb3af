import type { NamedStatement, Sql } from '../sqlHandle.js';

/** A sender as its budget row names it (see src/domain/sending/pacing/senderKey.ts). */
export interface SenderBudgetRef {
  key: string;
  channel: 'sms' | 'email';
  kind: string;
}

// The sender's rate now, on the locked row `b`: its override, else the kind's default ($4), halved
// per slow-down level while a slow-down lasts. SPACING: the time one send takes of the budget,
// 1/rate stretched by the safety margin ($5, a fraction: 0.03).
const RATE = `(coalesce(b.rate_per_second, $4::float8) * CASE WHEN b.slow_until > clock_timestamp() THEN power(0.5, b.slow_level) ELSE 1 END)`;
const SPACING = `make_interval(secs => (1 + $5::float8) / ${RATE})`;
const FRESH_SPACING = `make_interval(secs => (1 + $5::float8) / $4::float8)`;
// clock_timestamp(), not now(): a statement that waited for the row's lock must not date its slot
// back to when it started waiting.
const START = `greatest(b.tat, clock_timestamp())`;
const GRANTED = `(${START} <= clock_timestamp() + make_interval(secs => $6::float8 / 1000))`;

/**
 * GCRA on the sender's row, in ONE statement that every worker process shares (the row lock orders
 * them). The slot is greatest(tat, now): granted when it is within the horizon ($6 ms), and tat moves
 * on by one spacing; otherwise nothing is granted and the caller is given a later time to come back:
 * bulk sends ($7 true) from `hint_tat`, which moves on by one spacing per deferral so deferred sends
 * spread out instead of all coming back at tat; a one-to-one send ($7 false) at tat, the next slot,
 * not behind the bulk backlog. The row is created on first use. `wait_ms`: from now to the slot.
 */
const PACE: NamedStatement = {
  name: 'omega_pace_send',
  text: `INSERT INTO sender_budgets AS b (key, channel, kind, tat, hint_tat, last_slot, last_granted)
         VALUES ($1::text, $2::text::channel, $3::text, clock_timestamp() + ${FRESH_SPACING}, clock_timestamp() + ${FRESH_SPACING}, clock_timestamp(), true)
         ON CONFLICT (key) DO UPDATE SET
           tat          = CASE WHEN ${GRANTED} THEN ${START} + ${SPACING} ELSE b.tat END,
           hint_tat     = CASE WHEN ${GRANTED} THEN greatest(b.hint_tat, ${START} + ${SPACING}) WHEN $7::boolean THEN greatest(b.hint_tat, ${START}) + ${SPACING} ELSE b.hint_tat END,
           last_slot    = CASE WHEN ${GRANTED} OR NOT $7::boolean THEN ${START} ELSE greatest(b.hint_tat, ${START}) END,
           last_granted = ${GRANTED},
           updated_at   = now()
         RETURNING last_granted AS granted, (extract(epoch FROM last_slot - clock_timestamp()) * 1000)::float8 AS wait_ms`,
};

export interface PaceRow {
  granted: boolean;
  /** Milliseconds from now to the slot granted (granted), or to the time to come back (not granted). */
  wait_ms: number;
}

export async function paceSenderSlot(sql: Sql, sender: SenderBudgetRef, p: { defaultRate: number; margin: number; horizonMs: number; bulk: boolean }): Promise<PaceRow> {
  const rows = await sql.query<PaceRow>(PACE, [sender.key, sender.channel, sender.kind, p.defaultRate, p.margin, p.horizonMs, p.bulk]);
  return rows[0]!;
}

/**
 * Reserves `n` consecutive places after hint_tat for jobs queued now (bulk traffic), without taking
 * slots: their jobs are dated at these places, and take their slots when they run. Returns the first
 * place (ms from now) and the spacing (ms).
 */
export async function reserveSenderPlaces(sql: Sql, sender: SenderBudgetRef, p: { defaultRate: number; margin: number; n: number }): Promise<{ first_ms: number; spacing_ms: number }> {
  const rows = await sql.query<{ first_ms: number; spacing_ms: number }>(
    {
      name: 'omega_reserve_sender_places',
      text: `WITH r AS (
           INSERT INTO sender_budgets AS b (key, channel, kind, hint_tat)
           VALUES ($1::text, $2::text::channel, $3::text, clock_timestamp() + $6::int * ${FRESH_SPACING})
           ON CONFLICT (key) DO UPDATE SET
             hint_tat = greatest(b.hint_tat, b.tat, clock_timestamp()) + $6::int * ${SPACING},
             updated_at = now()
           RETURNING b.hint_tat, (1 + $5::float8) / ${RATE} * 1000 AS spacing_ms
         )
         SELECT (extract(epoch FROM hint_tat - clock_timestamp()) * 1000 - $6::int * spacing_ms)::float8 AS first_ms, spacing_ms::float8 AS spacing_ms FROM r`,
    },
    [sender.key, sender.channel, sender.kind, p.defaultRate, p.margin, p.n],
  );
  return rows[0]!;
}

/**
 * The provider said "too many" (a 429, or a 30001 queue overflow): the sender's next slot moves a
 * pause ($4 ms) past now, and its rate is halved (one more level, at most 4: 1/16) until `slow_until`
 * (now + $5 ms); a later slow-down extends it. Returns the ms from now to the next free place
 * (after hint_tat) for the message sent again.
 */
export async function slowSender(sql: Sql, sender: SenderBudgetRef, p: { defaultRate: number; margin: number; pauseMs: number; slowForMs: number }): Promise<{ retry_in_ms: number }> {
  const rows = await sql.query<{ retry_in_ms: number }>(
    {
      name: 'omega_slow_sender',
      text: `WITH r AS (
           INSERT INTO sender_budgets AS b (key, channel, kind, tat, hint_tat, slow_level, slow_until)
           VALUES ($1::text, $2::text::channel, $3::text, clock_timestamp() + make_interval(secs => $6::float8 / 1000), clock_timestamp() + make_interval(secs => $6::float8 / 1000),
                   1, clock_timestamp() + make_interval(secs => $7::float8 / 1000))
           ON CONFLICT (key) DO UPDATE SET
             slow_level = CASE WHEN b.slow_until > clock_timestamp() THEN least(b.slow_level + 1, 4) ELSE 1 END,
             slow_until = clock_timestamp() + make_interval(secs => $7::float8 / 1000),
             tat        = greatest(b.tat, clock_timestamp() + make_interval(secs => $6::float8 / 1000)),
             hint_tat   = greatest(b.hint_tat, b.tat, clock_timestamp() + make_interval(secs => $6::float8 / 1000)) + ${SPACING},
             updated_at = now()
           RETURNING b.hint_tat
         )
         SELECT (extract(epoch FROM hint_tat - clock_timestamp()) * 1000)::float8 AS retry_in_ms FROM r`,
    },
    // $4 and $5 are RATE's and SPACING's (the spacing is at the rate before this slow-down: the
    // message's place comes a little early, and pacing then gives it its slot).
    [sender.key, sender.channel, sender.kind, p.defaultRate, p.margin, p.pauseMs, p.slowForMs],
  );
  return rows[0]!;
}

/** Senders that are paced whatever the provider: an override, or a slow-down that still lasts. */
export async function selectSpeciallyPacedKeys(sql: Sql): Promise<string[]> {
  const rows = await sql.query<{ key: string }>(`SELECT key FROM sender_budgets WHERE rate_per_second IS NOT NULL OR slow_until > now()`);
  return rows.map((r) => r.key);
}

export interface SenderBudgetRow {
  key: string;
  rate_per_second: number | null;
  slow_level: number;
  slow_until: Date | null;
}

export async function selectSenderBudgets(sql: Sql, keys: string[]): Promise<SenderBudgetRow[]> {
  if (keys.length === 0) return [];
  return sql.query<SenderBudgetRow>(
    `SELECT key, rate_per_second, CASE WHEN slow_until > now() THEN slow_level ELSE 0 END AS slow_level, CASE WHEN slow_until > now() THEN slow_until END AS slow_until
       FROM sender_budgets WHERE key = ANY($1::text[])`,
    [keys],
  );
}

/** Sets (or with null clears) a sender's override; the row is created if need be. */
export async function upsertSenderRate(sql: Sql, sender: SenderBudgetRef, ratePerSecond: number | null): Promise<void> {
  await sql.query(
    `INSERT INTO sender_budgets (key, channel, kind, rate_per_second) VALUES ($1::text, $2::text::channel, $3::text, $4::float8)
     ON CONFLICT (key) DO UPDATE SET rate_per_second = excluded.rate_per_second, updated_at = now()`,
    [sender.key, sender.channel, sender.kind, ratePerSecond],
  );
}

/** Where a message's sender comes from, for a send job queued without its sender (before pacing). */
export interface MessageSenderRow {
  channel: 'sms' | 'email';
  location_messaging_service_sid: string | null;
  location_sms_phone_number: string | null;
  location_email_from: string | null;
}

export async function selectMessageSender(sql: Sql, messageId: string): Promise<MessageSenderRow | null> {
  const rows = await sql.query<MessageSenderRow>(
    {
      name: 'omega_select_message_sender',
      text: `SELECT m.channel::text AS channel, l.messaging_service_sid AS location_messaging_service_sid, l.sms_phone_number AS location_sms_phone_number, l.email_from AS location_email_from
               FROM messages m LEFT JOIN locations l ON l.id = m.location_id WHERE m.id = $1::uuid`,
    },
    [messageId],
  );
  return rows[0] ?? null;
}

export interface OverflowRequeued {
  id: string;
  business_id: string;
  location_messaging_service_sid: string | null;
  location_sms_phone_number: string | null;
}

/**
 * An SMS reported `undelivered` with Twilio 30001 (queue overflow: it never left Twilio) goes back to
 * `queued` for a new attempt (event `requeued_overflow`, with the provider id it had, which is
 * cleared so the new send's is kept), at most `limit` times; then it stays undelivered (null).
 * The one move backwards out of a final status besides an explicit retry.
 */
export async function requeueQueueOverflow(sql: Sql, messageId: string, p: { limit: number; errorCode: string; errorMessage: string | null }): Promise<OverflowRequeued | null> {
  const rows = await sql.query<OverflowRequeued>(
    `WITH before AS (
       SELECT id, provider_message_id FROM messages WHERE id = $1::uuid FOR UPDATE
     ), m AS (
       UPDATE messages m SET status = 'queued', failed_at = NULL, provider_message_id = NULL, updated_at = now()
         FROM before b
        WHERE m.id = b.id AND m.status = 'undelivered' AND m.channel = 'sms' AND m.direction = 'outbound'
          AND (SELECT count(*) FROM message_events e WHERE e.message_id = $1::uuid AND e.type = 'requeued_overflow') < $2::int
       RETURNING m.id, m.business_id, m.conversation_id, m.location_id, m.channel, b.provider_message_id AS previous_provider_message_id
     ), ev AS (
       INSERT INTO message_events (business_id, message_id, type, status, provider, error_code, error_message, payload)
       SELECT business_id, id, 'requeued_overflow', 'queued', 'twilio', $3::text, $4::text,
              jsonb_build_object('reason', 'Twilio reported the message undelivered with a queue overflow (it never left Twilio): sent again, paced', 'previousProviderMessageId', previous_provider_message_id)
         FROM m
     ), ie AS (
       INSERT INTO inbox_events (business_id, type, conversation_id, message_id, payload)
       SELECT business_id, 'message.status_changed', conversation_id, id,
              jsonb_build_object('status', 'queued', 'previousStatus', 'undelivered', 'channel', channel, 'errorCode', $3::text, 'requeued', true)
         FROM m
     )
     SELECT m.id::text, m.business_id, l.messaging_service_sid AS location_messaging_service_sid, l.sms_phone_number AS location_sms_phone_number
       FROM m LEFT JOIN locations l ON l.id = m.location_id`,
    [messageId, p.limit, p.errorCode, p.errorMessage],
  );
  sql.eventsWritten(rows.map((r) => r.business_id));
  return rows[0] ?? null;
}

/** Wakes idle graphile-worker workers of every process (as add_job does) when dated jobs fall due. */
export async function notifyJobsDue(sql: Sql, count: number): Promise<void> {
  await sql.query(`SELECT pg_notify('jobs:insert', json_build_object('count', $1::int)::text)`, [count]);
}

/**
 * Whether a location of another business than `businessId` sends from this sender as its own: the
 * messaging service SID or number (`sms:…`), or an email_from on the domain (`email:<domain>`).
 */
export async function isSenderUsedElsewhere(sql: Sql, senderKey: string, businessId: string): Promise<boolean> {
  const rows = await sql.query<{ used: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM locations l
        WHERE l.business_id <> $2::text
          AND CASE WHEN $1::text LIKE 'sms:%' THEN l.messaging_service_sid = substr($1::text, 5) OR (l.messaging_service_sid IS NULL AND l.sms_phone_number = substr($1::text, 5))
                   ELSE lower(substring(l.email_from FROM '@([^@>[:space:]]+)')) = substr($1::text, 7) END
     ) AS used`,
    [senderKey, businessId],
  );
  return rows[0]?.used ?? false;
}
