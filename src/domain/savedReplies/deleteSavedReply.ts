import { runTransaction } from '../../db/transaction.js';
import { actingStaffId, type Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { assertUuid } from '../ids.js';
import { publishSavedReplyEvent } from './savedReplyEvents.js';
import { savedReplyNotFound, savedReplyScope } from './savedReplyFields.js';

/** Deletes a saved reply and publishes saved_reply.deleted. Messages sent with it keep their text (and its id in their metadata). */
export async function deleteSavedReply(deps: Deps, input: { principal: Principal | null; businessId?: string | null; id: string }): Promise<{ id: string }> {
  const scope = savedReplyScope(input.principal, input.businessId);
  const id = assertUuid(input.id, ['id']);
  const staffId = actingStaffId(input.principal, null);
  return runTransaction(deps, async (tx) => {
    const row = await tx.prisma.savedReply.findFirst({ where: { id, ...scope } });
    if (!row) throw savedReplyNotFound(input.id, input.businessId);
    await tx.prisma.savedReply.delete({ where: { id } });
    await publishSavedReplyEvent(tx.sql, 'saved_reply.deleted', row, staffId);
    return { id };
  });
}
