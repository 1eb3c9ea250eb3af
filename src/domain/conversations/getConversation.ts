import type { Conversation } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { isUuid } from '../ids.js';
import type { PrismaQuery } from '../prismaQuery.js';

/**
 * A conversation by id. With `businessId`, one of another business is reported as not found
 * (its existence is not revealed); without it, the caller checks access on the returned row.
 */
export async function getConversation(deps: Deps, input: { conversationId: string; businessId?: string }, query: PrismaQuery = {}): Promise<Conversation> {
  const conversation = isUuid(input.conversationId)
    ? ((await deps.prisma.conversation.findFirst({
        ...(query as object),
        where: { id: input.conversationId, ...(input.businessId ? { businessId: input.businessId } : {}) },
      })) as Conversation | null)
    : null;
  if (!conversation)
    throw new NotFoundError('CONVERSATION_NOT_FOUND', `No conversation ${JSON.stringify(input.conversationId)}${input.businessId ? ` in business ${JSON.stringify(input.businessId)}` : ''}.`);
  return conversation;
}
