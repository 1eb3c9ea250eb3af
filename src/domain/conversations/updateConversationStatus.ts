import type { Conversation } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { assertUuid } from '../ids.js';
import { checkStatusChange, recordStatusChange, snoozeEndOf, type ConversationStatusChange } from './conversationRules.js';
import { runTransaction } from '../../db/transaction.js';
import { setStatusChangeContext } from '../../db/sql/setStatusChangeContext.js';

export type { ConversationStatusChange };

/** Status (open, snoozed until a time or the next inbound message, archived) and the pinned/muted flags. */
export async function updateConversationStatus(deps: Deps, input: { businessId: string; conversationId: string } & ConversationStatusChange): Promise<Conversation> {
  assertUuid(input.conversationId, ['conversationId']);
  checkStatusChange(deps, input);

  return runTransaction(deps, async (tx) => {
    const data = {
      ...(input.status !== undefined ? { status: input.status, snoozedUntil: snoozeEndOf(input) } : {}),
      ...(input.pinned !== undefined ? { pinned: input.pinned } : {}),
      ...(input.muted !== undefined ? { muted: input.muted } : {}),
    };
    // The status history (a trigger) records why and when: a change through this operation.
    if (input.status !== undefined) await setStatusChangeContext(tx.sql, { reason: 'status_update', at: deps.clock.now() });
    const { count } = await tx.prisma.conversation.updateMany({ where: { id: input.conversationId, businessId: input.businessId }, data });
    if (count === 0) throw new NotFoundError('CONVERSATION_NOT_FOUND', `No conversation ${input.conversationId} in business ${JSON.stringify(input.businessId)}.`);
    const conversation = await tx.prisma.conversation.findUniqueOrThrow({ where: { id: input.conversationId } });
    await recordStatusChange(tx.sql, input.businessId, conversation, input.status !== undefined);
    return conversation;
  });
}
