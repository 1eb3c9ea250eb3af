import type { MessageStatus } from '../../generated/prisma/enums.js';
import { actingStaffId, type Principal } from '../auth/principal.js';
import { addJob } from '../../db/sql/addJob.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { assertUuid } from '../ids.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';
import { SEND_JOB_MAX_ATTEMPTS } from './sendJobMaxAttempts.js';
import { runTransaction } from '../../db/transaction.js';
import { lockMessageForRetry } from '../../db/sql/lockMessageForRetry.js';

/** What can be retried: a send that failed, or that the carrier could not deliver. */
export const RETRYABLE_STATUSES: MessageStatus[] = ['failed', 'undelivered'];

export interface RetryResult {
  messageId: string;
  status: MessageStatus;
  /** Send attempts made so far (the retry's own attempt is counted when it runs). */
  attempts: number;
}

/**
 * A real new send of a failed outbound SMS or email: back to `queued` with a new send job, the
 * previous error kept in a `retry` message event. The one deliberate way out of a terminal status.
 * 409 MESSAGE_NOT_FAILED for any other status; consent is checked again (409 CLIENT_OPTED_OUT /
 * EMAIL_SUPPRESSED): a client who opted out since is not messaged.
 */
export async function retryMessage(deps: Deps, input: { principal: Principal | null; businessId: string; messageId: string }): Promise<RetryResult> {
  assertUuid(input.messageId, ['messageId']);
  // Kept on the retry event: the staff member who retried (a session's own; nobody for an API key).
  const staffId = actingStaffId(input.principal, null);
  return runTransaction(deps, async (tx) => {
    const message = await lockMessageForRetry(tx.sql, input.businessId, input.messageId);
    if (!message) throw new NotFoundError('MESSAGE_NOT_FOUND', `No message ${input.messageId} in business ${JSON.stringify(input.businessId)}.`);
    const sendable = message.direction === 'outbound' && (message.channel === 'sms' || message.channel === 'email');
    if (!sendable || !RETRYABLE_STATUSES.includes(message.status)) {
      throw new ConflictError(
        'MESSAGE_NOT_FAILED',
        sendable
          ? `Message ${message.id} is ${message.status}, not failed or undelivered: only failed sends can be retried.`
          : `Message ${message.id} is a ${message.direction} ${message.channel} message: only outbound SMS and email can be retried.`,
      );
    }
    if (message.channel === 'sms' && message.sms_opt_out) throw new ConflictError('CLIENT_OPTED_OUT', `Not retried: the client of message ${message.id} opted out of SMS.`);
    if (message.channel === 'email' && message.email_suppressed) throw new ConflictError('EMAIL_SUPPRESSED', `Not retried: the client's email of message ${message.id} is suppressed.`);

    await tx.prisma.message.update({ where: { id: message.id }, data: { status: 'queued', failedAt: null, scheduledAt: null } });
    await tx.prisma.messageEvent.create({
      data: {
        businessId: input.businessId,
        messageId: message.id,
        type: 'retry',
        status: 'queued',
        errorCode: message.error_code,
        errorMessage: message.error_message,
        payload: { previousStatus: message.status, attemptsBefore: message.attempts, staffId },
      },
    });
    const task = message.channel === 'sms' ? 'send_sms' : 'send_email';
    // Same job key as the first send: a job of this message left behind (failed for good) is
    // replaced, never doubled.
    await addJob(tx.sql, task, { messageId: message.id }, { jobKey: `${task}:${message.id}`, maxAttempts: SEND_JOB_MAX_ATTEMPTS });
    await publishInboxEvent(tx.sql, {
      businessId: input.businessId,
      type: 'message.status_changed',
      conversationId: message.conversation_id,
      messageId: message.id,
      payload: { status: 'queued', previousStatus: message.status, channel: message.channel, retry: true },
    });
    return { messageId: message.id, status: 'queued' as MessageStatus, attempts: message.attempts };
  });
}
