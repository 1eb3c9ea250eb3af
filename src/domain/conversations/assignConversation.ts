import type { Conversation } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { assertOptionalUuid, assertUuid } from '../ids.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';
import { runTransaction } from '../../db/transaction.js';

/** Assigns a conversation to an active staff member of its business, or unassigns it (staffId null). */
export async function assignConversation(deps: Deps, input: { businessId: string; conversationId: string; staffId: string | null }): Promise<Conversation> {
  assertUuid(input.conversationId, ['conversationId']);
  assertOptionalUuid(input.staffId, ['staffId']);
  return runTransaction(deps, async (tx) => {
    if (input.staffId) {
      const staff = await tx.prisma.staff.findFirst({ where: { id: input.staffId, businessId: input.businessId }, select: { active: true } });
      if (!staff) throw new NotFoundError('STAFF_NOT_FOUND', `No staff member ${input.staffId} in business ${JSON.stringify(input.businessId)}.`);
      if (!staff.active) {
        throw new ValidationError([{ type: 'value_error', loc: ['staffId'], msg: 'Staff member is inactive and cannot be assigned', input: input.staffId }], 'STAFF_INACTIVE');
      }
    }
    const { count } = await tx.prisma.conversation.updateMany({
      where: { id: input.conversationId, businessId: input.businessId },
      data: { assigneeId: input.staffId },
    });
    if (count === 0) throw new NotFoundError('CONVERSATION_NOT_FOUND', `No conversation ${input.conversationId} in business ${JSON.stringify(input.businessId)}.`);
    await publishInboxEvent(tx.sql, {
      businessId: input.businessId,
      type: 'conversation.updated',
      conversationId: input.conversationId,
      payload: { change: 'assignment', assigneeId: input.staffId },
    });
    return tx.prisma.conversation.findUniqueOrThrow({ where: { id: input.conversationId } });
  });
}
