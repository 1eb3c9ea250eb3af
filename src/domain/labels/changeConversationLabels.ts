import { lockConversations } from '../../db/sql/locks.js';
import { runTransaction } from '../../db/transaction.js';
import { authorizeBusiness } from '../auth/authorizeBusiness.js';
import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { assertUuid } from '../ids.js';
import { applyConversationLabels, checkLabelIds, type LabelChange } from './conversationLabelRules.js';

export interface ChangeConversationLabelsInput {
  principal: Principal | null;
  businessId: string;
  conversationId: string;
  addLabelIds?: readonly string[];
  removeLabelIds?: readonly string[];
}

/**
 * Puts labels on a conversation and takes others off (keys and sessions). One conversation.updated
 * event (change labels, with the labels added and removed) when something changed, none when not.
 */
export async function changeConversationLabels(deps: Deps, input: ChangeConversationLabelsInput): Promise<LabelChange> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  const conversationId = assertUuid(input.conversationId, ['conversationId']);
  if (!input.addLabelIds?.length && !input.removeLabelIds?.length) {
    throw new ValidationError([{ type: 'missing', loc: ['addLabelIds'], msg: 'Give labels to add or to remove' }]);
  }
  return runTransaction(deps, async (tx) => {
    const ids = await checkLabelIds(tx, input.businessId, { add: input.addLabelIds ?? [], remove: input.removeLabelIds ?? [] });
    const found = await tx.prisma.conversation.findFirst({ where: { id: conversationId, businessId: input.businessId }, select: { id: true } });
    if (!found) throw new NotFoundError('CONVERSATION_NOT_FOUND', `No conversation ${conversationId} in business ${JSON.stringify(input.businessId)}.`);
    await lockConversations(tx.sql, [conversationId]);
    const changes = await applyConversationLabels(tx, input.businessId, [conversationId], ids);
    return changes.get(conversationId) ?? { added: [], removed: [] };
  });
}
