import type { Conversation } from '../../generated/prisma/client.js';
import type { Sql } from '../sqlHandle.js';

const columns = (t: string) => `${t}.id, ${t}.business_id AS "businessId", ${t}.client_id AS "clientId", ${t}.location_id AS "locationId",
  ${t}.status::text AS status, ${t}.snoozed_until AS "snoozedUntil", ${t}.pinned, ${t}.muted, ${t}.assignee_id AS "assigneeId",
  ${t}.last_message_at AS "lastMessageAt", ${t}.last_activity_at AS "lastActivityAt", ${t}.last_message_id AS "lastMessageId",
  ${t}.last_message_preview AS "lastMessagePreview", ${t}.last_message_channel::text AS "lastMessageChannel",
  ${t}.last_message_direction::text AS "lastMessageDirection", ${t}.last_inbound_at AS "lastInboundAt",
  ${t}.last_outbound_at AS "lastOutboundAt", ${t}.unread_count AS "unreadCount", ${t}.opened_at AS "openedAt", ${t}.waiting_since AS "waitingSince",
  ${t}.first_reply_at AS "firstReplyAt", ${t}.created_at AS "createdAt", ${t}.updated_at AS "updatedAt"`;

// One row per key, in order: the location resolved (null: none), and the conversation with whether
// this statement inserted it. Nothing is inserted unless every key has a location. Rows are
// inserted in key order, so two callers inserting the same keys never wait for each other in
// opposite orders. The SELECT of existing rows does not see those inserted by `ins` (one snapshot
// per statement), so each key's row comes from exactly one of the two; a row committed by another
// transaction after the snapshot comes from neither (see createOrGetConversations).
const UPSERT = `
WITH input AS (
  SELECT * FROM json_to_recordset($1::json) AS i(ord int, business_id text, client_id uuid, location_id uuid)
), resolved AS (
  SELECT i.ord, i.business_id, i.client_id,
         (SELECT l.id
            FROM locations l
            JOIN businesses b ON b.id = i.business_id
            LEFT JOIN clients c ON c.id = i.client_id AND c.business_id = i.business_id
           WHERE l.business_id = i.business_id AND (i.location_id IS NULL OR l.id = i.location_id)
           ORDER BY (l.id = c.home_location_id) DESC NULLS LAST,
                    (l.id::text = b.settings->>'defaultLocationId') DESC NULLS LAST,
                    l.created_at, l.id
           LIMIT 1) AS location_id
    FROM input i
), ins AS (
  INSERT INTO conversations (business_id, client_id, location_id)
  SELECT DISTINCT business_id, client_id, location_id FROM resolved
   WHERE NOT EXISTS (SELECT 1 FROM resolved WHERE location_id IS NULL)
   ORDER BY business_id, client_id, location_id
  ON CONFLICT (business_id, client_id, location_id) DO NOTHING
  RETURNING *
), found AS (
  SELECT true AS created, ins.* FROM ins
  UNION ALL
  SELECT false, c.* FROM conversations c
   WHERE (c.business_id, c.client_id, c.location_id) IN (SELECT business_id, client_id, location_id FROM resolved)
)
SELECT r.location_id::text AS location, coalesce(f.created, false) AS created, ${columns('f')}
  FROM resolved r
  LEFT JOIN found f ON f.business_id = r.business_id AND f.client_id = r.client_id AND f.location_id = r.location_id
 ORDER BY r.ord`;

const READ = `
SELECT ${columns('c')}
  FROM conversations c
  JOIN json_to_recordset($1::json) AS k(business_id text, client_id uuid, location_id uuid)
    ON c.business_id = k.business_id AND c.client_id = k.client_id AND c.location_id = k.location_id`;

export type ConversationUpsertRow = { location: string | null; created: boolean } & (Conversation | { [K in keyof Conversation]: null });

/** One row per key, in key order (see UPSERT above). */
export async function upsertConversations(sql: Sql, keys: { business_id: string; client_id: string; location_id: string | null }[]): Promise<ConversationUpsertRow[]> {
  return sql.query<ConversationUpsertRow>(UPSERT, [JSON.stringify(keys.map((k, ord) => ({ ord, ...k })))]);
}

/** The conversations with these (business, client, location) keys, in no particular order. */
export async function selectConversationsByKey(sql: Sql, keys: { business_id: string; client_id: string; location_id: string | null }[]): Promise<Conversation[]> {
  return sql.query<Conversation>(READ, [JSON.stringify(keys)]);
}
