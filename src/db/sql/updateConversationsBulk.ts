// The set-based writes of bulkUpdateConversations, on conversations the caller has locked.
import type { Sql } from '../sqlHandle.js';

/** Assigns (or, with null, unassigns) those of these conversations whose assignee differs; answers their ids. */
export async function updateConversationsAssignee(sql: Sql, businessId: string, conversationIds: readonly string[], staffId: string | null): Promise<string[]> {
  if (conversationIds.length === 0) return [];
  const rows = await sql.query<{ id: string }>(
    `UPDATE conversations SET assignee_id = $3::uuid, updated_at = now()
      WHERE id = ANY($2::uuid[]) AND business_id = $1::text AND assignee_id IS DISTINCT FROM $3::uuid
      RETURNING id::text AS id`,
    [businessId, conversationIds, staffId],
  );
  return rows.map((r) => r.id).sort();
}

export interface StatusChangedRow {
  id: string;
  status: 'open' | 'snoozed' | 'archived';
  snoozedUntil: Date | null;
  pinned: boolean;
  muted: boolean;
}

/**
 * Sets the status (and the snooze's end, null unless snoozed) of those of these conversations where
 * either differs; answers them as they are after it.
 */
export async function updateConversationsStatus(sql: Sql, businessId: string, conversationIds: readonly string[], status: string, snoozedUntil: Date | null): Promise<StatusChangedRow[]> {
  if (conversationIds.length === 0) return [];
  const rows = await sql.query<StatusChangedRow>(
    `UPDATE conversations SET status = $3::conversation_status, snoozed_until = $4::timestamptz, updated_at = now()
      WHERE id = ANY($2::uuid[]) AND business_id = $1::text
        AND (status, snoozed_until) IS DISTINCT FROM ($3::conversation_status, $4::timestamptz)
      RETURNING id::text AS id, status::text AS status, snoozed_until AS "snoozedUntil", pinned, muted`,
    [businessId, conversationIds, status, snoozedUntil?.toISOString() ?? null],
  );
  return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
