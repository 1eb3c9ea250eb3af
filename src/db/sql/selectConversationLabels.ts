import type { Sql } from '../sqlHandle.js';

export interface ConversationLabelRow {
  conversationId: string;
  id: string;
  businessId: string;
  name: string;
  color: string;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The labels of these conversations (one statement for a page), each conversation's by name. */
export async function selectConversationLabels(sql: Sql, businessId: string, conversationIds: readonly string[]): Promise<ConversationLabelRow[]> {
  if (conversationIds.length === 0) return [];
  return sql.query<ConversationLabelRow>(
    {
      name: 'omega_select_conversation_labels',
      text: `SELECT x.conversation_id::text AS "conversationId", l.id::text AS id, l.business_id AS "businessId", l.name, l.color, l.description,
                    l.created_at AS "createdAt", l.updated_at AS "updatedAt"
               FROM conversation_labels x JOIN labels l ON l.id = x.label_id
              WHERE x.conversation_id = ANY($2::uuid[]) AND x.business_id = $1::text
              ORDER BY x.conversation_id, lower(l.name), l.id`,
    },
    [businessId, conversationIds],
  );
}
