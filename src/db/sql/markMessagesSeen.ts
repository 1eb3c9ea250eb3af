import type { Sql } from '../sqlHandle.js';

export interface SeenScope {
  businessId: string;
  conversationId?: string;
  messageIds?: string[];
  channel?: string;
  /** created_at < before */
  before?: Date;
  /** created_at >= after */
  after?: Date;
}

function scopeClauses(scope: SeenScope, values: unknown[], directions = `m.direction = 'inbound'`): string {
  const p = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const clauses = [`m.business_id = ${p(scope.businessId)}::text`, directions];
  if (scope.conversationId) clauses.push(`m.conversation_id = ${p(scope.conversationId)}::uuid`);
  if (scope.messageIds) clauses.push(`m.id = ANY(${p(scope.messageIds)}::uuid[])`);
  if (scope.channel) clauses.push(`m.channel = ${p(scope.channel)}::channel`);
  if (scope.before) clauses.push(`m.created_at < ${p(scope.before.toISOString())}::timestamptz`);
  if (scope.after) clauses.push(`m.created_at >= ${p(scope.after.toISOString())}::timestamptz`);
  return clauses.join(' AND ');
}

/**
 * Business-wide read state: sets (read) or clears (unread) seen_at on the inbound messages in scope
 * whose state differs, and moves each conversation's unread count by what changed. Returns the
 * changes per conversation with the new unread count.
 */
export async function markMessagesSeen(sql: Sql, scope: SeenScope, read: boolean): Promise<{ conversation_id: string; changed: number; unread_count: number }[]> {
  const values: unknown[] = [];
  const where = scopeClauses(scope, values);
  values.push(read);
  const readParam = `$${values.length}::boolean`;
  return sql.query(
    `WITH changed AS (
       UPDATE messages m SET seen_at = CASE WHEN ${readParam} THEN now() ELSE NULL END, updated_at = now()
        WHERE ${where} AND (m.seen_at IS NULL) = ${readParam}
       RETURNING m.conversation_id
     ), per AS (SELECT conversation_id, count(*)::int AS n FROM changed GROUP BY conversation_id)
     UPDATE conversations c
        SET unread_count = greatest(0, c.unread_count + CASE WHEN ${readParam} THEN -per.n ELSE per.n END), updated_at = now()
       FROM per WHERE c.id = per.conversation_id
     RETURNING c.id::text AS conversation_id, per.n AS changed, c.unread_count`,
    values,
  );
}

/**
 * One staff member's read position per conversation in scope: read moves it forward to the newest
 * message in scope, unread moves it back before the oldest. Returns per conversation how many
 * inbound messages changed state for that staff member and their new unread count.
 */
export async function moveStaffReadPosition(sql: Sql, scope: SeenScope, staffId: string, read: boolean): Promise<{ conversation_id: string; changed: number; unread_count: number }[]> {
  const values: unknown[] = [];
  // The position moves over notes too, so reading a conversation also reads the notes that mention
  // the staff member (the mentions view's unread mentions); counts are of inbound messages only.
  const where = scopeClauses(scope, values, `m.direction IN ('inbound', 'internal')`);
  values.push(staffId, read);
  const staff = `$${values.length - 1}::uuid`;
  const readParam = `$${values.length}::boolean`;
  return sql.query(
    `WITH matched AS (
       SELECT m.conversation_id, max(m.created_at) AS newest, min(m.created_at) AS oldest FROM messages m WHERE ${where} GROUP BY m.conversation_id
     ), prev AS (
       SELECT x.conversation_id, x.newest, x.oldest, r.last_read_at,
              coalesce(r.unread_count, (SELECT count(*) FROM messages a WHERE a.conversation_id = x.conversation_id AND a.direction = 'inbound'))::int AS old_unread
         FROM matched x LEFT JOIN conversation_reads r ON r.conversation_id = x.conversation_id AND r.staff_id = ${staff}
     ), next AS (
       SELECT p.conversation_id, p.old_unread,
              CASE WHEN ${readParam} THEN greatest(p.last_read_at, p.newest)
                   ELSE least(p.last_read_at, p.oldest - interval '1 millisecond') END AS last_read_at
         FROM prev p
     ), up AS (
       INSERT INTO conversation_reads (conversation_id, staff_id, business_id, last_read_at, unread_count, updated_at)
       SELECT n.conversation_id, ${staff}, c.business_id, n.last_read_at,
              (SELECT count(*) FROM messages a WHERE a.conversation_id = n.conversation_id AND a.direction = 'inbound' AND a.created_at > n.last_read_at)::int,
              now()
         FROM next n JOIN conversations c ON c.id = n.conversation_id
       ON CONFLICT (conversation_id, staff_id) DO UPDATE
         SET last_read_at = EXCLUDED.last_read_at, unread_count = EXCLUDED.unread_count, updated_at = now()
       RETURNING conversation_id, unread_count
     )
     SELECT up.conversation_id::text AS conversation_id, abs(n.old_unread - up.unread_count)::int AS changed, up.unread_count
       FROM up JOIN next n USING (conversation_id)`,
    values,
  );
}
