import { addJob } from '../../db/sql/addJob.js';
import type { Sql } from '../../db/sqlHandle.js';
import { removeJob } from '../../db/sql/removeJob.js';

/** The one pending end_snooze job of a conversation: a new snooze replaces it. */
export const snoozeEndJobKey = (conversationId: string) => `end_snooze:${conversationId}`;

/**
 * In the transaction that changes a conversation's status: with a snooze end time, schedules the
 * end_snooze job at that time (replacing the job of an earlier snooze); otherwise (opened,
 * archived, or snoozed until the next inbound message) removes the pending one. A job that runs
 * anyway after such a change finds nothing to do (endSnooze).
 */
export async function scheduleSnoozeEnd(sql: Sql, conversation: { businessId: string; conversationId: string; snoozedUntil: Date | null }): Promise<void> {
  const jobKey = snoozeEndJobKey(conversation.conversationId);
  if (conversation.snoozedUntil) {
    await addJob(sql, 'end_snooze', { businessId: conversation.businessId, conversationId: conversation.conversationId }, { jobKey, runAt: conversation.snoozedUntil });
  } else {
    await removeJob(sql, jobKey);
  }
}
