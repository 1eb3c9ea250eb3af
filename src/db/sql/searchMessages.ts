import type { Sql } from '../sqlHandle.js';
import { clientSearchTerms, matchingClientsSql } from './matchingClients.js';

export interface MessageHit {
  id: string;
  conversation_id: string;
  rank: number;
  snippet: string;
}

const HEADLINE = `'StartSel=<mark>, StopSel=</mark>, MaxFragments=2, MaxWords=18, MinWords=6, FragmentDelimiter=" … "'`;

/**
 * Full-text search of one conversation's messages (subject weighs more than body), best match
 * first, newest first among equals, with highlighted snippets, or null when the business has no
 * such conversation (checked in the same statement). `query` is web-search syntax: words,
 * "quoted phrases", OR, -excluded. messages_conversation_id_search_tsv_idx (btree_gin) intersects
 * the conversation and the words inside the index, so only this conversation's matches are read.
 * `page.afterId` (a message of a previous page) gives the matches after it in the same order
 * (its rank for the same query, time and id); none when it is no match of this search.
 */
export async function searchConversationMessages(
  sql: Sql,
  businessId: string,
  conversationId: string,
  query: string,
  page: { limit: number; offset: number; afterId?: string },
): Promise<MessageHit[] | null> {
  // The tsquery is written out (no CTE) so the planner sees its words and estimates the matches.
  const rank = (alias: string) => `ts_rank_cd(${alias}.search_tsv, websearch_to_tsquery('english', $3::text))::float8`;
  const after = page.afterId
    ? `AND (${rank('m')}, m.created_at, m.id) < (SELECT ${rank('k')}, k.created_at, k.id FROM messages k
                 WHERE k.id = $6::uuid AND k.conversation_id = $2::uuid AND k.business_id = $1::text
                   AND k.search_tsv @@ websearch_to_tsquery('english', $3::text))`
    : '';
  const rows = await sql.query<{ [K in keyof MessageHit]: MessageHit[K] | null }>(
    `SELECT h.id, h.conversation_id, h.rank, h.snippet
       FROM conversations c
       LEFT JOIN LATERAL (
         SELECT m.id::text AS id, m.conversation_id::text AS conversation_id, m.created_at, m.id AS sort_id,
                ${rank('m')} AS rank,
                ts_headline('english', coalesce(nullif(m.body, ''), m.subject, ''), websearch_to_tsquery('english', $3::text), ${HEADLINE}) AS snippet
           FROM messages m
          WHERE m.conversation_id = $2::uuid AND m.business_id = $1::text AND m.search_tsv @@ websearch_to_tsquery('english', $3::text)
                ${after}
          ORDER BY rank DESC, m.created_at DESC, m.id DESC
          LIMIT $4::int OFFSET $5::int) h ON true
      WHERE c.id = $2::uuid AND c.business_id = $1::text
      ORDER BY h.rank DESC, h.created_at DESC, h.sort_id DESC`,
    [businessId, conversationId, query, page.limit, page.afterId ? 0 : page.offset, ...(page.afterId ? [page.afterId] : [])],
  );
  if (rows.length === 0) return null;
  return rows.filter((r): r is MessageHit => r.id !== null);
}

/** How many of a conversation's messages match a search (searchConversationMessages' matches, all pages). */
export async function countConversationMessageMatches(sql: Sql, businessId: string, conversationId: string, query: string): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM messages m
      WHERE m.conversation_id = $2::uuid AND m.business_id = $1::text AND m.search_tsv @@ websearch_to_tsquery('english', $3::text)`,
    [businessId, conversationId, query],
  );
  return rows[0]?.n ?? 0;
}

export interface ConversationHit {
  conversation_id: string;
  rank: number;
  snippet: string | null;
  matched: 'messages' | 'client' | 'both';
  message_id: string | null;
}

/**
 * How many matching messages searchBusinessConversations ranks: the most recent ones. Ranking every
 * match of a large business (a common word matches 100,000+ messages) costs seconds; the most recent
 * 300 keep the cost flat. Older matches still count when fewer than 300 newer messages match.
 */
export const MESSAGE_CANDIDATES = 300;

/**
 * Where the most recent matches are looked for: the last 2, 7 and 30 UTC days, then all time; the
 * first window holding MESSAGE_CANDIDATES matches is used. A window is searched in
 * messages_utc_day_search_tsv_idx, which intersects the UTC days and the words inside the index
 * (the business is checked on the matches), so a common word costs a few days of matches, not years
 * of them, and a rare one costs its few matches (all time). Reading a window costs about 0.1 µs per
 * message in it (the index collects the window's days before the words), ~10 ms for 30 days of the
 * benchmark data set: hence the windows are skipped for words too rare to fill them.
 */
const WINDOW_DAYS = [2, 7, 30] as const;

/** One window's most recent matches (at most $10 of them); `since` is the window's first UTC day. */
const recentMatches = (since: string) => `
       SELECT m.id, m.conversation_id, m.created_at, m.search_tsv
         FROM messages m
        WHERE m.business_id = $1::text AND m.search_tsv @@ websearch_to_tsquery('english', $2::text)${
          since
            ? `
          AND omega_utc_day(m.created_at) >= ${since}`
            : ''
        }
        ORDER BY m.created_at DESC, m.id DESC
        LIMIT $10::int`;

/**
 * Conversations of a business matching a query in their messages (full text) or their client
 * (matchingClientsSql: the name, partial or misspelt; or part of the name, a phone or an email). A conversation's
 * rank is its client's similarity plus the ts_rank_cd of its best message among the
 * MESSAGE_CANDIDATES most recent matching messages of the business (newest first among equals); the
 * snippet and message_id are that message's. The two matches run separately, each on its own index,
 * and meet by conversation. One statement: every CTE below runs only when something reads it.
 */
export async function searchBusinessConversations(sql: Sql, businessId: string, query: string, clientText: string, limit: number, offset: number, now: Date = new Date()): Promise<ConversationHit[]> {
  // The windows' first days are parameters, not now()-based expressions, so each window's plan is
  // made for its own dates (the planner estimates the window's matches from the index statistics).
  const today = Math.floor(now.getTime() / 86_400_000);
  const [d2, d7, d30] = WINDOW_DAYS.map((days) => today - days + 1);
  const terms = clientSearchTerms(clientText);
  const values: unknown[] = [businessId, query, limit, offset, terms.like, terms.text, d2, d7, d30, MESSAGE_CANDIDATES];
  const p = (v: unknown) => `$${values.push(v)}`;
  const rows = await sql.query<ConversationHit>(
    `WITH w2 AS MATERIALIZED (${recentMatches('$7::int')}),
     w7 AS MATERIALIZED (${recentMatches('$8::int')}),
     w30 AS MATERIALIZED (${recentMatches('$9::int')}),
     wall AS MATERIALIZED (${recentMatches('')}),
     -- The first window holding $10 matches, read from the smallest up. A bigger window is read only
     -- when the smaller one's matches, scaled to its length, reach half of $10 (a rarer word goes to
     -- all time at once: its matches are few). Which windows are read changes the cost, never the
     -- result: a window with $10 matches holds the $10 most recent. CASE tests in order and each
     -- count runs on first use, so an unneeded window is never read.
     pick AS (
       SELECT CASE WHEN (SELECT count(*) FROM w2) >= $10::int THEN 2
                   WHEN (SELECT count(*) FROM w2) * 7 < $10::int THEN NULL
                   WHEN (SELECT count(*) FROM w7) >= $10::int THEN 7
                   WHEN (SELECT count(*) FROM w7) * 60 < 7 * $10::int THEN NULL
                   WHEN (SELECT count(*) FROM w30) >= $10::int THEN 30 END AS days
     ),
     candidates AS (
       SELECT * FROM w2 WHERE (SELECT days FROM pick) = 2
       UNION ALL SELECT * FROM w7 WHERE (SELECT days FROM pick) = 7
       UNION ALL SELECT * FROM w30 WHERE (SELECT days FROM pick) = 30
       UNION ALL SELECT * FROM wall WHERE (SELECT days FROM pick) IS NULL
     ),
     msg AS (
       SELECT DISTINCT ON (c.conversation_id) c.conversation_id, c.id AS message_id, ts_rank_cd(c.search_tsv, websearch_to_tsquery('english', $2::text)) AS rank
         FROM candidates c
        ORDER BY c.conversation_id, rank DESC, c.created_at DESC, c.id DESC
     ),
     -- Matching clients (matchingClientsSql: every word similar to the name, or a substring of name,
     -- phones and emails) reach their conversations through conversations_client_id_idx (LATERAL
     -- with OFFSET 0: the planner would otherwise hash every conversation of the table).
     cli AS (
       SELECT cv.id AS conversation_id,
              greatest(word_similarity($6::text, mc.name), CASE WHEN mc.text LIKE $5::text THEN 0.9 ELSE 0 END) AS sim
         FROM (${matchingClientsSql(terms, { business: '$1', text: '$6', like: '$5' }, p)}) mc
        CROSS JOIN LATERAL (SELECT c.id FROM conversations c WHERE c.client_id = mc.id OFFSET 0) cv
     ),
     page AS (
       SELECT coalesce(msg.conversation_id, cli.conversation_id) AS conversation_id,
              (coalesce(cli.sim, 0) + coalesce(msg.rank, 0))::float8 AS rank,
              msg.message_id, cli.conversation_id IS NOT NULL AS by_client
         FROM msg FULL JOIN cli ON cli.conversation_id = msg.conversation_id
        ORDER BY rank DESC, conversation_id DESC
        LIMIT $3::int OFFSET $4::int
     )
     SELECT p.conversation_id::text AS conversation_id, p.rank,
            CASE WHEN m.id IS NULL THEN NULL
                 ELSE ts_headline('english', coalesce(nullif(m.body, ''), m.subject, ''), websearch_to_tsquery('english', $2::text), ${HEADLINE}) END AS snippet,
            CASE WHEN p.message_id IS NOT NULL AND p.by_client THEN 'both'
                 WHEN p.message_id IS NOT NULL THEN 'messages' ELSE 'client' END AS matched,
            p.message_id::text AS message_id
       FROM page p LEFT JOIN messages m ON m.id = p.message_id
      ORDER BY p.rank DESC, p.conversation_id DESC`,
    values,
  );
  return rows;
}
