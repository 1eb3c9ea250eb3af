import type { Sql } from '../sqlHandle.js';

/**
 * Takes these labels off these conversations of `businessId`. Answers, per conversation, the labels
 * that were on it: a label that was not there is no change. Callers lock the conversations first
 * (lockConversations, in id order), so two removals of overlapping sets never deadlock.
 */
export async function deleteConversationLabels(sql: Sql, businessId: string, conversationIds: readonly string[], labelIds: readonly string[]): Promise<Map<string, string[]>> {
  if (conversationIds.length === 0 || labelIds.length === 0) return new Map();
  const rows = await sql.query<{ conversation_id: string; label_ids: string[] }>(
    `WITH del AS (
       DELETE FROM conversation_labels
        WHERE conversation_id = ANY($2::uuid[]) AND label_id = ANY($3::uuid[]) AND business_id = $1::text
       RETURNING conversation_id, label_id)
     SELECT conversation_id::text AS conversation_id, array_agg(label_id::text ORDER BY label_id) AS label_ids FROM del GROUP BY conversation_id`,
    [businessId, conversationIds, labelIds],
  );
  return new Map(rows.map((r) => [r.conversation_id, r.label_ids]));
}

/** Takes one label off every conversation it is on (the label is being deleted); answers those conversations. */
export async function deleteLabelFromConversations(sql: Sql, businessId: string, labelId: string): Promise<string[]> {
  const rows = await sql.query<{ conversation_id: string }>(`DELETE FROM conversation_labels WHERE label_id = $2::uuid AND business_id = $1::text RETURNING conversation_id::text AS conversation_id`, [
    businessId,
    labelId,
  ]);
  return rows.map((r) => r.conversation_id).sort();
}
