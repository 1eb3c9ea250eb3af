import type { Conversation } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { assertOptionalUuid, assertUuid } from '../ids.js';
import { checkAssignee, publishAssignment } from './conversationRules.js';
import { runTransaction } from '../../db/transaction.js';

/** Assigns a conversation to an active staff member of its business, or unassigns it (staffId null). */
export async function assignConversation(deps: Deps, input: { businessId: string; conversationId: string; staffId: string | null }): Promise<Conversation> {
  assertUuid(input.conversationId, ['conversationId']);
  assertOptionalUuid(input.staffId, ['staffId']);
  return runTransaction(deps, async (tx) => {
    await checkAssignee(tx, input.businessId, input.staffId);
    const { count } = await tx.prisma.conversation.updateMany({
      where: { id: input.conversationId, businessId: input.businessId },
      data: { assigneeId: input.staffId },
    });
    if (count === 0) throw new NotFoundError('CONVERSATION_NOT_FOUND', `No conversation ${input.conversationId} in business ${JSON.stringify(input.businessId)}.`);
    await publishAssignment(tx.sql, input.businessId, input.conversationId, input.staffId);
    return tx.prisma.conversation.findUniqueOrThrow({ where: { id: input.conversationId } });
  });
}
