import { reopenDueSnooze } from '../../db/sql/reopenDueSnooze.js';
import { runTransaction } from '../../db/transaction.js';
import { setStatusChangeContext } from '../../db/sql/setStatusChangeContext.js';
import type { Deps } from '../deps.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';

/**
 * Ends a snooze whose time has come (the end_snooze job, scheduled at the snooze end): the
 * conversation opens again, leaves the snoozed view for open, and a conversation.updated event
 * tells the inbox. Returns false, changing nothing, when the conversation was opened, archived or
 * snoozed again to a later time in the meantime.
 */
export async function endSnooze(deps: Deps, input: { businessId: string; conversationId: string }): Promise<boolean> {
  return runTransaction(deps, async (tx) => {
    const sql = tx.sql;
    await setStatusChangeContext(sql, { reason: 'snooze_ended' });
    const reopened = await reopenDueSnooze(sql, input.businessId, input.conversationId);
    if (!reopened) return false;
    await publishInboxEvent(sql, {
      businessId: input.businessId,
      type: 'conversation.updated',
      conversationId: input.conversationId,
      payload: { change: 'status', status: 'open', snoozedUntil: null, pinned: reopened.pinned, muted: reopened.muted, reason: 'snooze_ended' },
    });
    return true;
  });
}
