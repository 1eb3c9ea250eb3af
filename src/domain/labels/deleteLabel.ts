import { deleteLabelFromConversations } from '../../db/sql/deleteConversationLabels.js';
import { lockLabel } from '../../db/sql/lockLabel.js';
import { insertInboxEvents } from '../../db/sql/insertInboxEvent.js';
import { runTransaction } from '../../db/transaction.js';
import { authorizeBusiness } from '../auth/authorizeBusiness.js';
import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { assertUuid } from '../ids.js';
import { publishLabelChanged } from './createLabel.js';
import { LABEL_FIELDS, labelNotFound } from './labelFields.js';
import { labelsChangedPayload } from './labelsChangedPayload.js';

/**
 * Deletes a label: it comes off every conversation it was on, each with a conversation.updated
 * event (change labels), and a label.changed event (action deleted), in one transaction. Answers
 * how many conversations it was on.
 */
export async function deleteLabel(deps: Deps, input: { principal: Principal | null; businessId: string; id: string }): Promise<{ conversations: number }> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  const id = assertUuid(input.id, ['id']);
  return runTransaction(deps, async (tx) => {
    // The row lock waits for writers putting the label on conversations (their foreign key check),
    // and makes later ones fail (the label is gone), so none is left on a conversation.
    if (!(await lockLabel(tx.sql, input.businessId, id))) throw labelNotFound(id, input.businessId);
    const label = await tx.prisma.label.findUniqueOrThrow({ where: { id }, select: LABEL_FIELDS });
    const conversationIds = await deleteLabelFromConversations(tx.sql, input.businessId, id);
    await insertInboxEvents(
      tx.sql,
      input.businessId,
      conversationIds.map((conversationId) => ({ type: 'conversation.updated', conversationId, payload: labelsChangedPayload([], [id]) })),
    );
    await tx.prisma.label.delete({ where: { id } });
    await publishLabelChanged(tx.sql, label, 'deleted', { conversations: conversationIds.length });
    return { conversations: conversationIds.length };
  });
}
