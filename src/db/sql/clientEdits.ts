import type { Sql } from '../sqlHandle.js';

// Statements of updateClient and mergeClients (src/domain/clients). The advisory locks on contacts
// are findOrCreateClients' (lockClientKeys in writeClients.ts), so an edit, a merge and a first
// contact from the same number or address run one at a time.

/**
 * Locks client rows in id order (so two merges of overlapping clients cannot deadlock); the ids found.
 * FOR NO KEY UPDATE (an edit or a merge changes no key): a message stored meanwhile takes KEY SHARE on
 * its client (the foreign key) after locking its conversation, and must not wait here, or a merge
 * waiting for that conversation deadlocks with it.
 */
export async function lockClients(sql: Sql, businessId: string, ids: readonly string[]): Promise<{ id: string; merged_into_id: string | null }[]> {
  return sql.query(`SELECT id::text, merged_into_id::text FROM clients WHERE business_id = $1::text AND id = ANY($2::uuid[]) ORDER BY id FOR NO KEY UPDATE`, [businessId, ids]);
}

/** The first other (unmerged) client of the business holding one of these phones or emails. */
export async function selectContactHolder(
  sql: Sql,
  input: { businessId: string; exceptIds: readonly string[]; phones: readonly string[]; emails: readonly string[] },
): Promise<{ id: string; phones: string[]; emails: string[] } | null> {
  const rows = await sql.query<{ id: string; phones: string[]; emails: string[] }>(
    `SELECT id::text, phones, emails FROM clients
      WHERE business_id = $1::text AND id <> ALL($2::uuid[]) AND merged_into_id IS NULL AND (phones && $3::text[] OR emails && $4::text[])
      ORDER BY created_at, id LIMIT 1`,
    [input.businessId, input.exceptIds, input.phones, input.emails],
  );
  return rows[0] ?? null;
}

/** The conversations of these clients, locked in id order. */
export async function lockClientConversations(sql: Sql, businessId: string, clientIds: readonly string[]): Promise<{ id: string; client_id: string; location_id: string }[]> {
  return sql.query(`SELECT id::text, client_id::text, location_id::text FROM conversations WHERE business_id = $1::text AND client_id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`, [
    businessId,
    clientIds,
  ]);
}

/**
 * Moves everything of conversation `from` into conversation `into` (same business, client and
 * location after the merge): messages, calls, report facts, status history; staff read positions
 * are combined (the later position; the unread counts added, a missing row counting the
 * conversation's own unread count). The summary is recomputed by recomputeConversationSummary.
 */
export async function moveConversationContents(sql: Sql, input: { from: string; into: string; clientId: string }): Promise<void> {
  const values = [input.from, input.into, input.clientId];
  await sql.query(`UPDATE messages SET conversation_id = $2::uuid, client_id = $3::uuid, updated_at = now() WHERE conversation_id = $1::uuid`, values);
  await sql.query(`UPDATE voice_calls SET conversation_id = $2::uuid, client_id = $3::uuid, updated_at = now() WHERE conversation_id = $1::uuid AND $3::uuid IS NOT NULL`, values);
  await sql.query(`UPDATE report_openings SET conversation_id = $2::uuid WHERE conversation_id = $1::uuid AND $3::uuid IS NOT NULL`, values);
  await sql.query(`UPDATE report_replies SET conversation_id = $2::uuid WHERE conversation_id = $1::uuid AND $3::uuid IS NOT NULL`, values);
  await sql.query(`UPDATE conversation_status_changes SET conversation_id = $2::uuid WHERE conversation_id = $1::uuid AND $3::uuid IS NOT NULL`, values);
  // Labels: the kept conversation has every label either had (the merged one's rows go with it when it is deleted).
  await sql.query(
    `INSERT INTO conversation_labels (conversation_id, label_id, business_id, created_at)
     SELECT $2::uuid, label_id, business_id, created_at FROM conversation_labels WHERE conversation_id = $1::uuid AND $3::uuid IS NOT NULL
     ORDER BY label_id
     ON CONFLICT (conversation_id, label_id) DO NOTHING`,
    values,
  );
  await sql.query(
    `INSERT INTO report_conversation_days AS d (conversation_id, day, assignee_key, business_id, location_id, sms_in, sms_out, email_in, email_out, voice_in, voice_out)
     SELECT $2::uuid, day, assignee_key, business_id, location_id, sms_in, sms_out, email_in, email_out, voice_in, voice_out
       FROM report_conversation_days WHERE conversation_id = $1::uuid AND $3::uuid IS NOT NULL
     ON CONFLICT (conversation_id, day, assignee_key) DO UPDATE SET
       sms_in = d.sms_in + excluded.sms_in, sms_out = d.sms_out + excluded.sms_out, email_in = d.email_in + excluded.email_in,
       email_out = d.email_out + excluded.email_out, voice_in = d.voice_in + excluded.voice_in, voice_out = d.voice_out + excluded.voice_out`,
    values,
  );
  await sql.query(`DELETE FROM report_conversation_days WHERE conversation_id = $1::uuid AND $2::uuid IS NOT NULL AND $3::uuid IS NOT NULL`, values);
  await sql.query(
    `WITH convs AS (SELECT id, unread_count FROM conversations WHERE id IN ($1::uuid, $2::uuid)),
          staff AS (SELECT DISTINCT staff_id, business_id FROM conversation_reads WHERE conversation_id IN ($1::uuid, $2::uuid)),
          combined AS (
            SELECT s.staff_id, s.business_id,
                   sum(coalesce(r.unread_count, c.unread_count))::int AS unread_count,
                   max(r.last_read_at) AS last_read_at,
                   (array_agg(r.last_read_message_id ORDER BY r.last_read_at DESC NULLS LAST))[1] AS last_read_message_id
              FROM staff s CROSS JOIN convs c
              LEFT JOIN conversation_reads r ON r.conversation_id = c.id AND r.staff_id = s.staff_id
             GROUP BY s.staff_id, s.business_id)
     INSERT INTO conversation_reads AS r (conversation_id, staff_id, business_id, last_read_at, last_read_message_id, unread_count, updated_at)
     SELECT $2::uuid, staff_id, business_id, last_read_at, last_read_message_id, unread_count, now() FROM combined WHERE $3::uuid IS NOT NULL
     ON CONFLICT (conversation_id, staff_id) DO UPDATE SET
       last_read_at = excluded.last_read_at, last_read_message_id = excluded.last_read_message_id, unread_count = excluded.unread_count, updated_at = now()`,
    values,
  );
}

/** A conversation's summary from its messages (as appendMessage leaves it): last non-note message, last inbound/outbound, unread inbound. */
export async function recomputeConversationSummary(sql: Sql, conversationId: string, preview: string | null): Promise<void> {
  await sql.query(
    `UPDATE conversations c SET
       last_message_id = l.id, last_message_at = l.created_at, last_message_preview = CASE WHEN l.id IS NULL THEN NULL ELSE $2::text END,
       last_message_channel = l.channel, last_message_direction = l.direction,
       last_activity_at = coalesce(l.created_at, c.created_at),
       last_inbound_at = a.last_inbound_at, last_outbound_at = a.last_outbound_at, unread_count = a.unread_count, updated_at = now()
       FROM (SELECT max(created_at) FILTER (WHERE direction = 'inbound') AS last_inbound_at,
                    max(created_at) FILTER (WHERE direction = 'outbound') AS last_outbound_at,
                    count(*) FILTER (WHERE direction = 'inbound' AND seen_at IS NULL)::int AS unread_count
               FROM messages WHERE conversation_id = $1::uuid) a
       LEFT JOIN (SELECT id, created_at, channel, direction FROM messages WHERE conversation_id = $1::uuid AND channel <> 'note'
                   ORDER BY created_at DESC, id DESC LIMIT 1) l ON true
      WHERE c.id = $1::uuid`,
    [conversationId, preview],
  );
}
