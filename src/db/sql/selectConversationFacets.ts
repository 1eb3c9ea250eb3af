import type { Sql } from '../sqlHandle.js';

export interface FacetRow {
  facet: 'view' | 'assignee' | 'channel' | 'location' | 'client_type' | 'client_group';
  value: string | null;
  count: number;
}

/**
 * Counts behind "Get available conversation filters", in one round trip: views, assignees (null =
 * unassigned), channels, locations, client types and groups, over non-archived conversations
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
     UNION ALL SELECT 'range', NULL, 0, min(last_activity_at), max(last_activity_at) FROM c`,
    [businessId],
  );
  const range = rows.find((r) => (r.facet as string) === 'range');
  return { facets: rows.filter((r) => (r.facet as string) !== 'range'), from: range?.from ?? null, to: range?.to ?? null };
}
