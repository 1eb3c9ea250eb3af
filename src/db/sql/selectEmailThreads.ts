import type { Sql } from '../sqlHandle.js';

export interface EmailThreadRow {
  conversation_id: string;
  /** The subject of the conversation's latest email (either direction) that has one. */
  last_subject: string | null;
  /** The Message-ID header of its latest inbound email (as the Resend webhook stored it). */
  last_inbound_message_id: string | null;
}

/** What a reply in each of these conversations threads on, in one statement (the conversation's messages are read newest first by its index). */
export async function selectEmailThreads(sql: Sql, conversationIds: string[]): Promise<EmailThreadRow[]> {
  return sql.query<EmailThreadRow>(
    `SELECT c.id::text AS conversation_id,
            (SELECT m.subject FROM messages m
              WHERE m.conversation_id = c.id AND m.channel = 'email' AND coalesce(m.subject, '') <> ''
              ORDER BY m.created_at DESC, m.id DESC LIMIT 1) AS last_subject,
            (SELECT m.metadata->>'messageIdHeader' FROM messages m
              WHERE m.conversation_id = c.id AND m.channel = 'email' AND m.direction = 'inbound' AND coalesce(m.metadata->>'messageIdHeader', '') <> ''
              ORDER BY m.created_at DESC, m.id DESC LIMIT 1) AS last_inbound_message_id
       FROM unnest($1::uuid[]) AS c(id)`,
    [conversationIds],
  );
}
