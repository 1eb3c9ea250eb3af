import type { Conversation } from '../../generated/prisma/client.js';
import { prismaExecutor } from '../../db/sql/executor.js';
import type { Tx } from '../../db/tx.js';
import { NotFoundError, ValidationError } from '../errors.js';

export interface ConversationKey {
  businessId: string;
  clientId: string;
  /** Omitted: the client's home location, else the business's default location, else its first. */
  locationId?: string | null;
}

export interface FoundConversation {
  conversation: Conversation;
  created: boolean;
}

const columns = (t: string) => `${t}.id, ${t}.business_id AS "businessId", ${t}.client_id AS "clientId", ${t}.location_id AS "locationId",
  ${t}.status::text AS status, ${t}.snoozed_until AS "snoozedUntil", ${t}.pinned, ${t}.muted, ${t}.assignee_id AS "assigneeId",
  ${t}.last_message_at AS "lastMessageAt", ${t}.last_activity_at AS "lastActivityAt", ${t}.last_message_id AS "lastMessageId",
  ${t}.last_message_preview AS "lastMessagePreview", ${t}.last_message_channel::text AS "lastMessageChannel",
  ${t}.last_message_direction::text AS "lastMessageDirection", ${t}.last_inbound_at AS "lastInboundAt",
  ${t}.last_outbound_at AS "lastOutboundAt", ${t}.unread_count AS "unreadCount", ${t}.created_at AS "createdAt", ${t}.updated_at AS "updatedAt"`;

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

type UpsertRow = { location: string | null; created: boolean } & (Conversation | { [K in keyof Conversation]: null });

/**
 * The one conversation of each client at a location, created on first contact, in one statement
 * (two when another transaction commits one of them meanwhile). Safe under concurrent calls: the
 * insert relies on the (business, client, location) unique key, so racing callers all get the same
 * row and exactly one of them (and within a call, the first key naming it) sees `created: true`.
 * Nothing is created unless every key resolves to a location.
 */
export async function createOrGetConversations(tx: Tx, keys: ConversationKey[]): Promise<FoundConversation[]> {
  if (keys.length === 0) return [];
  const sql = prismaExecutor(tx);
  const input = keys.map((k, ord) => ({ ord, business_id: k.businessId, client_id: k.clientId, location_id: k.locationId ?? null }));
  const rows = await sql.query<UpsertRow>(UPSERT, [JSON.stringify(input)]);
  rows.forEach((row, i) => {
    if (!row.location) throw noLocation(keys[i]!);
  });
  // Conflicting with a row committed after this statement's snapshot, the insert did nothing and
  // the snapshot could not see the row: a new statement (a new snapshot) does.
  const missing = rows.flatMap((row, i) => (row.id === null ? [{ business_id: keys[i]!.businessId, client_id: keys[i]!.clientId, location_id: row.location }] : []));
  const late = missing.length ? await sql.query<Conversation>(READ, [JSON.stringify(missing)]) : [];
  const seen = new Set<string>();
  return rows.map(({ location, created, ...row }, i) => {
    const conversation = row.id !== null ? row : late.find((c) => c.businessId === keys[i]!.businessId && c.clientId === keys[i]!.clientId && c.locationId === location);
    if (!conversation) throw new Error('internal error: conversation vanished right after its upsert');
    const first = !seen.has(conversation.id);
    seen.add(conversation.id);
    return { conversation, created: created && first };
  });
}

function noLocation(key: ConversationKey): Error {
  if (key.locationId) return new NotFoundError('LOCATION_NOT_FOUND', `No location ${key.locationId} in business ${JSON.stringify(key.businessId)}.`);
  return new ValidationError(
    [{ type: 'value_error', loc: ['locationId'], msg: `Business ${JSON.stringify(key.businessId)} has no location; onboard one first` }],
    'BUSINESS_HAS_NO_LOCATION',
  );
}
