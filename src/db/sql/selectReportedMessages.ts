import type { Sql } from '../sqlHandle.js';

export interface ReportedMessageRow {
  id: string;
  business_id: string;
  provider_message_id: string | null;
}

/** The messages with these ids, and those of `provider` with these provider ids, in one indexed query. */
export async function selectReportedMessages(sql: Sql, messageIds: string[], provider: string, providerMessageIds: string[]): Promise<ReportedMessageRow[]> {
  return sql.query<ReportedMessageRow>(
    `SELECT id::text, business_id, provider_message_id FROM messages WHERE id = ANY($1::uuid[])
     UNION ALL
     SELECT id::text, business_id, provider_message_id FROM messages WHERE provider = $2 AND provider_message_id = ANY($3::text[])`,
    [messageIds, provider, providerMessageIds],
  );
}
