import type { Sql } from '../sqlHandle.js';

/**
 * Puts these labels on these conversations, both of `businessId` (others are ignored), in
 * (conversation, label) order. Answers, per conversation, the labels that were not on it before:
 * a label already there is no change (and two writers adding the same one: one change).
 */
export async function insertConversationLabels(sql: Sql, businessId: string, conversationIds: readonly string[], labelIds: readonly string[]): Promise<Map<string, string[]>> {
  if (conversationIds.length === 0 || labelIds.length === 0) return new Map();
  const rows = await sql.query<{ conversation_id: string; label_ids: string[] }>(
    `WITH ins AS (
       INSERT INTO conversation_labels (conversation_id, label_id, business_id)
       SELECT c.id, l.id, c.business_id
         FROM conversations c JOIN labels l ON l.business_id = c.business_id
        WHERE c.id = ANY($2::uuid[]) AND c.business_id = $1::text AND l.id = ANY($3::uuid[])
        ORDER BY c.id, l.id
       ON CONFLICT (conversation_id, label_id) DO NOTHING
       RETURNING conversation_id, label_id)
     SELECT conversation_id::text AS conversation_id, array_agg(label_id::text ORDER BY label_id) AS label_ids FROM ins GROUP BY conversation_id`,
    [businessId, conversationIds, labelIds],
  );
  return new Map(rows.map((r) => [r.conversation_id, r.label_ids]));
}
