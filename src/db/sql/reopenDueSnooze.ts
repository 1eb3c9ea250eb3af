import type { Sql } from '../sqlHandle.js';

/** A conversation whose snooze ended: what its conversation.updated event reports. */
export interface ReopenedConversation {
  pinned: boolean;
  muted: boolean;
}

/**
 * Opens a conversation whose snooze has run out (`snoozed_until` at or before the database's
 * now(), the clock graphile-worker schedules by). Nothing happens, and null is returned, if it is
 * no longer snoozed or was snoozed again to a later time meanwhile.
 */
export async function reopenDueSnooze(sql: Sql, businessId: string, conversationId: string): Promise<ReopenedConversation | null> {
  const rows = await sql.query<ReopenedConversation>(
    `UPDATE conversations SET status = 'open', snoozed_until = NULL, updated_at = now()
      WHERE id = $2::uuid AND business_id = $1::text AND status = 'snoozed' AND snoozed_until <= now()
     RETURNING pinned, muted`,
    [businessId, conversationId],
  );
  return rows[0] ?? null;
}
