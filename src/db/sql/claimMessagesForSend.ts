import type { NamedStatement, Sql } from '../sqlHandle.js';

export interface ClaimedMessage {
  id: string;
  business_id: string;
  conversation_id: string;
  client_id: string;
  location_id: string | null;
  channel: 'sms' | 'email';
  to_address: string | null;
  from_address: string | null;
  body: string | null;
  subject: string | null;
  html: string | null;
  media: unknown;
  metadata: Record<string, unknown>;
  /** Send attempts of this message so far, this one included. */
  attempts: number;
  previous_status: string;
  /**
   * When the current send began: now for a fresh claim; for a message that was still `sending`
   * (an interrupted attempt), the time that attempt was claimed, kept (PostgreSQL's clock).
   */
  claimed_at: Date;
  client_sms_opt_out: boolean;
  client_email_suppressed: boolean;
  location_sms_phone_number: string | null;
  location_messaging_service_sid: string | null;
  location_email_from: string | null;
  location_email_from_name: string | null;
}

/**
 * Marks messages `sending` and counts the attempt, as one committed statement that runs BEFORE the
 * provider is called: after a crash, a message still `sending` is exactly one whose provider call
 * may have been in flight. It records when the send began (claimed_at), durably, before that call;
 * a claim of a message still `sending` keeps the interrupted attempt's time. Returns, per claimed message, what its send needs; a message that is not
 * (any longer) waiting to be sent (already sent, failed, canceled, unknown) is simply absent.
 *
 * Records each attempt as a message event. It publishes no inbox event: `sending` is the worker's
 * own transient mark, not news for the inbox (the outcome, sent or failed, is published).
 */
export async function claimMessagesForSend(sql: Sql, claims: { messageId: string; jobAttempt: number }[], statement: NamedStatement): Promise<ClaimedMessage[]> {
  return sql.query<ClaimedMessage>(statement, [JSON.stringify(claims.map((c) => ({ id: c.messageId, job_attempt: c.jobAttempt })))]);
}

/**
 * The statement for one channel and set of claimable statuses, with both written in as constants
 * and the claims as one json parameter: its plan is then the same whatever the values, so each
 * connection plans it once (PostgreSQL keeps the generic plan). With them as parameters it re-planned
 * on every call, which cost as much as running it.
 */
export function claimStatement(channel: 'sms' | 'email', claimable: readonly string[]): NamedStatement {
  if (!claimable.every((c) => /^[a-z_]+$/.test(c))) throw new Error(`internal error: not a message status: ${claimable.join()}`);
  const name = `omega_claim_${channel}:${claimable.join(',')}`; // statuses hold no ',' (checked above)
  const text = `WITH wanted AS (
       SELECT * FROM json_to_recordset($1::json) AS w(id uuid, job_attempt int)
     ), before AS (
       SELECT m.id, m.status, w.job_attempt FROM messages m JOIN wanted w ON w.id = m.id
        WHERE m.channel = '${channel}'::channel AND m.direction = 'outbound'
          -- A campaign's message does not go out while its campaign is paused or canceled (it stays
          -- as it is and its job ends without sending; resumeCampaign queues its job again). After
          -- the campaign completed, a message queued again (a retry, a 30001 re-send) goes out.
          AND (m.campaign_id IS NULL OR NOT EXISTS (SELECT 1 FROM campaigns k WHERE k.id = m.campaign_id AND k.status IN ('paused', 'canceled')))
        ORDER BY m.id
          FOR UPDATE OF m
     ), m AS (
       UPDATE messages m SET status = 'sending', attempts = m.attempts + 1, updated_at = now(),
              claimed_at = CASE WHEN b.status = 'sending' THEN coalesce(m.claimed_at, m.created_at) ELSE now() END
         FROM before b
        WHERE m.id = b.id AND b.status IN (${claimable.map((c) => `'${c}'`).join(', ')})
       RETURNING m.id, m.business_id, m.conversation_id, m.client_id, m.location_id, m.channel, m.to_address, m.from_address,
                 m.body, m.subject, m.html, m.media, m.metadata, m.attempts, b.status::text AS previous_status, b.job_attempt, m.claimed_at
     ), ev AS (
       INSERT INTO message_events (business_id, message_id, type, status, payload)
       SELECT business_id, id, 'attempt', 'sending',
              jsonb_build_object('attempt', attempts, 'jobAttempt', job_attempt, 'previousStatus', previous_status, 'afterInterruptedSend', previous_status = 'sending', 'claimedAt', claimed_at)
         FROM m
     )
     SELECT m.id::text, m.business_id, m.conversation_id::text, m.client_id::text, m.location_id::text, m.channel::text, m.to_address, m.from_address,
            m.body, m.subject, m.html, m.media, m.metadata, m.attempts, m.previous_status, m.claimed_at,
            c.sms_opt_out AS client_sms_opt_out, c.email_suppressed AS client_email_suppressed,
            l.sms_phone_number AS location_sms_phone_number, l.messaging_service_sid AS location_messaging_service_sid,
            l.email_from AS location_email_from, l.email_from_name AS location_email_from_name
       FROM m
       JOIN clients c ON c.id = m.client_id
       LEFT JOIN locations l ON l.id = m.location_id`;
  return { name, text };
}
