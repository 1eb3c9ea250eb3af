import type { Pool } from '../pool.js';

export interface MessageHit {
  id: string;
  conversation_id: string;
  rank: number;
  snippet: string;
}

const HEADLINE = `'StartSel=<mark>, StopSel=</mark>, MaxFragments=2, MaxWords=18, MinWords=6, FragmentDelimiter=" … "'`;

/**
 * Full-text search of one conversation's messages (subject weighs more than body), best match
 * first, newest first among equals, with highlighted snippets. Uses messages_search_tsv_idx.
 * `query` is web-search syntax: words, "quoted phrases", OR, -excluded.
 */
export async function searchConversationMessages(pool: Pool, businessId: string, conversationId: string, query: string, limit: number, offset: number): Promise<MessageHit[]> {
  const { rows } = await pool.query<MessageHit>(
    `WITH q AS (SELECT websearch_to_tsquery('english', $3::text) AS tsq)
     SELECT m.id::text AS id, m.conversation_id::text AS conversation_id, ts_rank_cd(m.search_tsv, q.tsq)::float8 AS rank,
            ts_headline('english', coalesce(nullif(m.body, ''), m.subject, ''), q.tsq, ${HEADLINE}) AS snippet
       FROM messages m, q
      WHERE m.business_id = $1::text AND m.conversation_id = $2::uuid AND m.search_tsv @@ q.tsq
      ORDER BY rank DESC, m.created_at DESC, m.id DESC
      LIMIT $4::int OFFSET $5::int`,
    [businessId, conversationId, query, limit, offset],
  );
  return rows;
}

export interface ConversationHit {
  conversation_id: string;
  rank: number;
  snippet: string | null;
  matched: 'messages' | 'client' | 'both';
  message_id: string | null;
}

/**
 * Conversations of a business matching a query in their messages (full text, best message per
 * conversation) or in their client's name, phones or emails (trigram similarity, so partial and
 * misspelt names match). Client matches rank by similarity, message matches by ts_rank_cd.
 */
export async function searchBusinessConversations(pool: Pool, businessId: string, query: string, clientText: string, limit: number, offset: number): Promise<ConversationHit[]> {
  const { rows } = await pool.query<ConversationHit>(
    `WITH q AS (SELECT websearch_to_tsquery('english', $2::text) AS tsq, $6::text AS text),
     msg AS (
       SELECT DISTINCT ON (m.conversation_id) m.conversation_id, m.id AS message_id,
              ts_rank_cd(m.search_tsv, q.tsq) AS rank, m.body, m.subject
         FROM messages m, q
        WHERE m.business_id = $1::text AND m.search_tsv @@ q.tsq
        ORDER BY m.conversation_id, ts_rank_cd(m.search_tsv, q.tsq) DESC, m.created_at DESC
     ),
     cli AS (
       SELECT c.id AS conversation_id,
              greatest(word_similarity(q.text, omega_client_search_text(cl.first_name, cl.last_name, cl.phones, cl.emails)),
                       CASE WHEN omega_client_search_text(cl.first_name, cl.last_name, cl.phones, cl.emails) LIKE $5::text THEN 0.9 ELSE 0 END) AS sim
         FROM clients cl, q, conversations c
        WHERE cl.business_id = $1::text
          AND ((q.text !~ '^[0-9]+$' AND q.text <% omega_client_search_text(cl.first_name, cl.last_name, cl.phones, cl.emails))
               OR omega_client_search_text(cl.first_name, cl.last_name, cl.phones, cl.emails) LIKE $5::text)
          AND c.client_id = cl.id
     )
     SELECT coalesce(msg.conversation_id, cli.conversation_id)::text AS conversation_id,
            (coalesce(cli.sim, 0) + coalesce(msg.rank, 0))::float8 AS rank,
            CASE WHEN msg.message_id IS NULL THEN NULL
                 ELSE ts_headline('english', coalesce(nullif(msg.body, ''), msg.subject, ''), (SELECT tsq FROM q), ${HEADLINE}) END AS snippet,
            CASE WHEN msg.message_id IS NOT NULL AND cli.conversation_id IS NOT NULL THEN 'both'
                 WHEN msg.message_id IS NOT NULL THEN 'messages' ELSE 'client' END AS matched,
            msg.message_id::text AS message_id
       FROM msg FULL JOIN cli ON cli.conversation_id = msg.conversation_id
      ORDER BY rank DESC, conversation_id DESC
      LIMIT $3::int OFFSET $4::int`,
    [businessId, query, limit, offset, `%${clientText.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, clientText],
  );
  return rows;
}
