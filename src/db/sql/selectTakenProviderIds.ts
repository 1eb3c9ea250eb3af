import type { Sql } from '../sqlHandle.js';

/**
 * Which of these provider message ids another message already carries (provider ids are unique
 * across businesses: messages_provider_provider_message_id_key). The check after an interrupted
 * send must not adopt a message that belongs to another send.
 */
export async function selectTakenProviderIds(sql: Sql, provider: string, providerMessageIds: string[], exceptMessageId: string): Promise<Set<string>> {
  if (providerMessageIds.length === 0) return new Set();
  const rows = await sql.query<{ provider_message_id: string }>(
    `SELECT provider_message_id FROM messages
      WHERE provider = $1::text AND provider_message_id = ANY($2::text[]) AND id <> $3::uuid`,
    [provider, providerMessageIds, exceptMessageId],
  );
  return new Set(rows.map((r) => r.provider_message_id));
}
