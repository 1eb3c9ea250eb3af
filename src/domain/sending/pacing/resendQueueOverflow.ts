import { addJob } from '../../../db/sql/addJob.js';
import { requeueQueueOverflow, slowSender } from '../../../db/sql/senderBudgets.js';
import { pgTransaction } from '../../../db/transaction.js';
import type { Deps } from '../../deps.js';
import { SEND_JOB_MAX_ATTEMPTS } from '../sendJobMaxAttempts.js';
import { PACING_LEAD_MS, PACING_MARGIN, RATE_LIMIT_RESENDS, SLOW_FOR_MS, SLOW_PAUSE_MS, defaultRate } from './pacer.js';
import { senderRefOf } from './paceSend.js';

/**
 * Twilio reported an SMS `undelivered` with error 30001 (queue overflow: the sender's queue at Twilio
 * was full and the message never left Twilio). The sender slows down (as after a 429) and the
 * message is queued again for a new attempt through pacing: status back to `queued` with a
 * `requeued_overflow` event saying why (the one exception to "a status only moves forward" besides
 * an explicit retry), at most RATE_LIMIT_RESENDS times per message; after that it stays undelivered.
 * One transaction: the message is never `queued` without its job. Returns whether it was queued again.
 */
export async function resendQueueOverflow(deps: Deps, input: { messageId: string; errorCode: string; errorMessage: string | null }): Promise<boolean> {
  const pacer = deps.sending.pacing;
  return pgTransaction(deps, async (sql) => {
    const row = await requeueQueueOverflow(sql, input.messageId, { limit: RATE_LIMIT_RESENDS, errorCode: input.errorCode, errorMessage: input.errorMessage });
    if (!row) return false;
    const sender = senderRefOf(deps, { channel: 'sms', ...row });
    let inMs = 0;
    if (sender && pacer && pacer.mode !== 'off') {
      const slowed = await slowSender(sql, sender, { defaultRate: defaultRate(pacer, sender.kind), margin: PACING_MARGIN, pauseMs: SLOW_PAUSE_MS, slowForMs: SLOW_FOR_MS });
      inMs = Math.max(0, slowed.retry_in_ms - PACING_LEAD_MS);
      pacer.invalidate();
    }
    // Bulk priority: the message already had its turn; one-to-one sends waiting now go first.
    await addJob(sql, 'send_sms', sender ? { messageId: row.id, sender: sender.key } : { messageId: row.id }, {
      jobKey: `send_sms:${row.id}`,
      runAt: new Date(Date.now() + inMs),
      maxAttempts: SEND_JOB_MAX_ATTEMPTS,
      priority: 1,
    });
    pacer?.nudgeAt(deps.sql, inMs);
    return true;
  });
}
