import type { Sql } from '../sqlHandle.js';

/**
 * After a transient provider failure: the message goes back from `sending` to `queued` with the
 * error kept (the job retries it after graphile-worker's backoff), recorded as an `attempt_failed`
 * event, with a message.status_changed inbox event. Returns false if the message was no longer `sending`.
 */
export async function requeueMessage(sql: Sql, messageId: string, error: { code: string; message: string; provider: string; retryInSeconds: number | null }): Promise<boolean> {
  const rows = await sql.query<{ id: string; business_id: string }>(
    {
      name: 'omega_requeue_message',
      text: `WITH m AS (
       UPDATE messages SET status = 'queued', error_code = $2::text, error_message = $3::text, updated_at = now()
        WHERE id = $1::uuid AND status = 'sending'
       RETURNING id, business_id, conversation_id, channel
     ), ev AS (
       INSERT INTO message_events (business_id, message_id, type, status, provider, error_code, error_message, payload)
       SELECT business_id, id, 'attempt_failed', 'queued', $4::text, $2::text, $3::text, jsonb_build_object('kind', 'transient', 'retryInSeconds', $5::int)
         FROM m
     ), ie AS (
       INSERT INTO inbox_events (business_id, type, conversation_id, message_id, payload)
       SELECT business_id, 'message.status_changed', conversation_id, id,
              jsonb_build_object('status', 'queued', 'previousStatus', 'sending', 'channel', channel, 'errorCode', $2::text)
         FROM m
     )
     SELECT id::text, business_id FROM m`,
    },
    [messageId, error.code, error.message.slice(0, 2000), error.provider, error.retryInSeconds],
  );
  sql.eventsWritten(rows.map((r) => r.business_id));
  return rows.length > 0;
}
