import type { Sql } from '../sqlHandle.js';

/** Why the message goes back to `queued`: its message event, and at most how many of that type it may have. */
export interface RequeueEvent {
  /** `attempt_failed` (a transient provider failure) or `rate_limited` (a 429: pacing sends it again). */
  type: 'attempt_failed' | 'rate_limited';
  payload: Record<string, unknown>;
  /** The message may have fewer than this many events of the type, else nothing changes (null: no limit). */
  limit: number | null;
}

/**
 * After a send that did not go out: the message goes back from `sending` to `queued` with the
 * error kept (its job sends it again), recorded as a message event of the given type, with a
 * message.status_changed inbox event. Returns false, changing nothing, if the message was no
 * longer `sending` or already has `limit` events of the type.
 */
export async function requeueMessage(sql: Sql, messageId: string, error: { code: string; message: string; provider: string }, event: RequeueEvent): Promise<boolean> {
  const rows = await sql.query<{ id: string; business_id: string }>(
    {
      name: 'omega_requeue_message',
      text: `WITH m AS (
       UPDATE messages SET status = 'queued', error_code = $2::text, error_message = $3::text, updated_at = now()
        WHERE id = $1::uuid AND status = 'sending'
          AND ($7::int IS NULL OR (SELECT count(*) FROM message_events e WHERE e.message_id = $1::uuid AND e.type = $5::text) < $7::int)
       RETURNING id, business_id, conversation_id, channel
     ), ev AS (
       INSERT INTO message_events (business_id, message_id, type, status, provider, error_code, error_message, payload)
       SELECT business_id, id, $5::text, 'queued', $4::text, $2::text, $3::text, $6::jsonb
         FROM m
     ), ie AS (
       INSERT INTO inbox_events (business_id, type, conversation_id, message_id, payload)
       SELECT business_id, 'message.status_changed', conversation_id, id,
              jsonb_build_object('status', 'queued', 'previousStatus', 'sending', 'channel', channel, 'errorCode', $2::text)
         FROM m
     )
     SELECT id::text, business_id FROM m`,
    },
    [messageId, error.code, error.message.slice(0, 2000), error.provider, event.type, JSON.stringify(event.payload), event.limit],
  );
  sql.eventsWritten(rows.map((r) => r.business_id));
  return rows.length > 0;
}
