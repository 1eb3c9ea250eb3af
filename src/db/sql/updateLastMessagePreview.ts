import type { Sql } from '../sqlHandle.js';

/** Sets the conversation's preview when this message is still its latest (a call's summary changed). */
export async function updateLastMessagePreview(sql: Sql, conversationId: string | null, messageId: string, preview: string): Promise<void> {
  await sql.query(
    `UPDATE conversations SET last_message_preview = $1::text, updated_at = now()
      WHERE id = $2::uuid AND last_message_id = $3::uuid`,
    [preview, conversationId, messageId],
  );
}
