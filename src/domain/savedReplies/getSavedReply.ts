import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { assertUuid } from '../ids.js';
import type { PrismaQuery } from '../prismaQuery.js';
import { savedReplyNotFound, savedReplyScope, type SavedReplyView } from './savedReplyFields.js';

/** One saved reply. One of another business (or outside `businessId` when given) is 404 SAVED_REPLY_NOT_FOUND. */
export async function getSavedReply(deps: Deps, input: { principal: Principal | null; businessId?: string | null; id: string }, query: PrismaQuery = {}): Promise<SavedReplyView> {
  const scope = savedReplyScope(input.principal, input.businessId);
  const id = assertUuid(input.id, ['id']);
  const row = (await deps.prisma.savedReply.findFirst({ ...(query as object), where: { id, ...scope } })) as SavedReplyView | null;
  if (!row) throw savedReplyNotFound(input.id, input.businessId);
  return row;
}
