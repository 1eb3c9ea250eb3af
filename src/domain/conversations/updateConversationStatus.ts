import type { Conversation, ConversationStatus } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError, type FieldIssue } from '../errors.js';
import { assertUuid } from '../ids.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';
import { scheduleSnoozeEnd } from './scheduleSnoozeEnd.js';
import { runTransaction } from '../../db/transaction.js';
import { setStatusChangeContext } from '../../db/sql/setStatusChangeContext.js';

export interface ConversationStatusChange {
  status?: ConversationStatus;
  /** With status `snoozed`: when it opens again by itself; null = until the next inbound message. */
  snoozedUntil?: Date | null;
  pinned?: boolean;
  muted?: boolean;
}

/** Status (open, snoozed until a time or the next inbound message, archived) and the pinned/muted flags. */
export async function updateConversationStatus(deps: Deps, input: { businessId: string; conversationId: string } & ConversationStatusChange): Promise<Conversation> {
  assertUuid(input.conversationId, ['conversationId']);
  const issues: FieldIssue[] = [];
  if (input.status === undefined && input.pinned === undefined && input.muted === undefined) {
    issues.push({ type: 'missing', loc: ['status'], msg: 'Give at least one of status, pinned, muted' });
  }
  if (input.snoozedUntil && input.status !== 'snoozed') {
    issues.push({ type: 'value_error', loc: ['snoozedUntil'], msg: 'snoozed_until goes with status "snoozed"', input: input.snoozedUntil.toISOString() });
  }
  if (input.snoozedUntil && input.snoozedUntil.getTime() <= deps.clock.now().getTime()) {
    issues.push({ type: 'value_error', loc: ['snoozedUntil'], msg: 'must be in the future', input: input.snoozedUntil.toISOString() });
  }
  if (issues.length) throw new ValidationError(issues);

  return runTransaction(deps, async (tx) => {
    const data = {
      ...(input.status !== undefined ? { status: input.status, snoozedUntil: input.status === 'snoozed' ? (input.snoozedUntil ?? null) : null } : {}),
      ...(input.pinned !== undefined ? { pinned: input.pinned } : {}),
      ...(input.muted !== undefined ? { muted: input.muted } : {}),
    };
    // The status history (a trigger) records why and when: a change through this operation.
    if (input.status !== undefined) await setStatusChangeContext(tx.sql, { reason: 'status_update', at: deps.clock.now() });
    const { count } = await tx.prisma.conversation.updateMany({ where: { id: input.conversationId, businessId: input.businessId }, data });
    if (count === 0) throw new NotFoundError('CONVERSATION_NOT_FOUND', `No conversation ${input.conversationId} in business ${JSON.stringify(input.businessId)}.`);
    const conversation = await tx.prisma.conversation.findUniqueOrThrow({ where: { id: input.conversationId } });
    const sql = tx.sql;
    // A snooze with an end time ends by itself: the end_snooze job, committed with the snooze.
    if (input.status !== undefined) await scheduleSnoozeEnd(sql, { businessId: input.businessId, conversationId: input.conversationId, snoozedUntil: conversation.snoozedUntil });
    await publishInboxEvent(sql, {
      businessId: input.businessId,
      type: 'conversation.updated',
      conversationId: input.conversationId,
      payload: {
        change: 'status',
        status: conversation.status,
        snoozedUntil: conversation.snoozedUntil?.toISOString() ?? null,
        pinned: conversation.pinned,
        muted: conversation.muted,
      },
    });
    return conversation;
  });
}
