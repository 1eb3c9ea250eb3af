import type { Sql } from '../sqlHandle.js';

export interface FacetRow {
  facet: 'view' | 'assignee' | 'channel' | 'location' | 'client_type' | 'client_group' | 'label';
  value: string | null;
  count: number;
}

/**
 * Counts behind "Get available conversation filters", in one round trip: views, assignees (null =
 * unassigned), channels, locations, client types and groups, labels, over non-archived conversations
 * (archived is its own view), plus the activity date range.
 */
export async function selectConversationFacets(sql: Sql, businessId: string): Promise<{ facets: FacetRow[]; from: Date | null; to: Date | null }> {
  const rows = await sql.query<FacetRow & { from: Date | null; to: Date | null }>(
    `WITH c AS (SELECT * FROM conversations WHERE business_id = $1::text),
     live AS (SELECT * FROM c WHERE status <> 'archived')
     SELECT 'view' AS facet, v.value, v.count, NULL::timestamptz AS "from", NULL::timestamptz AS "to" FROM (
       SELECT 'inbox' AS value, (SELECT count(*) FROM live)::int AS count
       UNION ALL SELECT 'open', (SELECT count(*) FROM c WHERE status = 'open')::int
       UNION ALL SELECT 'snoozed', (SELECT count(*) FROM c WHERE status = 'snoozed')::int
       UNION ALL SELECT 'archived', (SELECT count(*) FROM c WHERE status = 'archived')::int
       UNION ALL SELECT 'unread', (SELECT count(*) FROM live WHERE unread_count > 0)::int
       UNION ALL SELECT 'read', (SELECT count(*) FROM live WHERE unread_count = 0)::int
       UNION ALL SELECT 'replied', (SELECT count(*) FROM live WHERE last_message_direction = 'outbound')::int
       UNION ALL SELECT 'unreplied', (SELECT count(*) FROM live WHERE last_message_direction = 'inbound')::int
       UNION ALL SELECT 'all', (SELECT count(*) FROM c)::int
     ) v
     UNION ALL SELECT 'assignee', assignee_id::text, count(*)::int, NULL, NULL FROM live GROUP BY assignee_id
     UNION ALL SELECT 'location', location_id::text, count(*)::int, NULL, NULL FROM live GROUP BY location_id
     UNION ALL SELECT 'channel', m.channel::text, count(DISTINCT m.conversation_id)::int, NULL, NULL
       FROM messages m JOIN live ON live.id = m.conversation_id GROUP BY m.channel
     UNION ALL SELECT 'client_type', cl.type, count(*)::int, NULL, NULL
       FROM live JOIN clients cl ON cl.id = live.client_id WHERE cl.type IS NOT NULL GROUP BY cl.type
     UNION ALL SELECT 'client_group', g.grp, count(*)::int, NULL, NULL
       FROM live JOIN clients cl ON cl.id = live.client_id CROSS JOIN LATERAL unnest(cl.groups) AS g(grp) GROUP BY g.grp
     UNION ALL SELECT 'label', x.label_id::text, count(*)::int, NULL, NULL
       FROM conversation_labels x JOIN live ON live.id = x.conversation_id WHERE x.business_id = $1::text GROUP BY x.label_id
     UNION ALL SELECT 'range', NULL, 0, min(last_activity_at), max(last_activity_at) FROM c`,
    [businessId],
  );
  const range = rows.find((r) => (r.facet as string) === 'range');
  return { facets: rows.filter((r) => (r.facet as string) !== 'range'), from: range?.from ?? null, to: range?.to ?? null };
}

export interface StaffViewCounts {
  /** Per view: conversations of the view unread by the staff member (their read position is behind an inbound message). */
  unread: Record<string, number>;
  /** Conversations (not archived) where a note mentioned the staff member. */
  mentions: number;
  /** Those with a mention newer than the staff member's read position. */
  unreadMentions: number;
}

/**
 * One staff member's counts per view, in one statement: a conversation is unread for them when
 * their read position (conversation_reads) counts unread messages, or, with no position yet, when
 * it has an inbound message; and the mentions view's size and its unread mentions.
 */
export async function selectStaffViewCounts(sql: Sql, businessId: string, staffId: string): Promise<StaffViewCounts> {
  const rows = await sql.query<Record<string, number>>(
    `WITH c AS (
       SELECT c.status, c.unread_count, c.last_message_direction,
              coalesce(r.unread_count, CASE WHEN c.last_inbound_at IS NULL THEN 0 ELSE 1 END) > 0 AS su
         FROM conversations c LEFT JOIN conversation_reads r ON r.conversation_id = c.id AND r.staff_id = $2::uuid
        WHERE c.business_id = $1::text
     ), mentioned AS (
       SELECT DISTINCT m.conversation_id FROM messages m
        WHERE m.channel = 'note' AND cardinality(m.mention_staff_ids) > 0 AND m.mention_staff_ids @> ARRAY[$2::uuid] AND m.business_id = $1::text
     ), mention AS (
       SELECT c.id,
              EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.channel = 'note' AND m.mention_staff_ids @> ARRAY[$2::uuid]
                         AND m.created_at > coalesce((SELECT r.last_read_at FROM conversation_reads r WHERE r.conversation_id = c.id AND r.staff_id = $2::uuid), '-infinity'::timestamptz)) AS unread
         FROM conversations c JOIN mentioned x ON x.conversation_id = c.id
        WHERE c.business_id = $1::text AND c.status <> 'archived'
     )
     SELECT count(*) FILTER (WHERE su AND status <> 'archived')::int AS inbox,
            count(*) FILTER (WHERE su)::int AS "all",
            count(*) FILTER (WHERE su AND status = 'open')::int AS open,
            count(*) FILTER (WHERE su AND status = 'snoozed')::int AS snoozed,
            count(*) FILTER (WHERE su AND status = 'archived')::int AS archived,
            count(*) FILTER (WHERE su AND status <> 'archived' AND unread_count > 0)::int AS unread,
            count(*) FILTER (WHERE su AND status <> 'archived' AND unread_count = 0)::int AS read,
            count(*) FILTER (WHERE su AND status <> 'archived' AND last_message_direction = 'outbound')::int AS replied,
            count(*) FILTER (WHERE su AND status <> 'archived' AND last_message_direction = 'inbound')::int AS unreplied,
            (SELECT count(*) FROM mention)::int AS mentions,
            (SELECT count(*) FROM mention WHERE unread)::int AS unread_mentions
       FROM c`,
    [businessId, staffId],
  );
  const { mentions = 0, unread_mentions: unreadMentions = 0, ...unread } = rows[0] ?? {};
  return { unread, mentions, unreadMentions };
}
