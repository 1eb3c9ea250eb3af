// Resolver-side use of the one access rule (domain/auth/principal.ts) for operations that name a
// conversation rather than a business: find its business, then apply the same check.
import { assertBusinessAccess } from '../domain/auth/principal.js';
import { getConversation } from '../domain/conversations/getConversation.js';
import type { GraphQLContext } from './context.js';

export async function authorizeConversation(ctx: GraphQLContext, conversationId: string): Promise<string> {
  const { businessId } = await getConversation(ctx.deps, { conversationId }, { select: { businessId: true } });
  assertBusinessAccess(ctx.principal, businessId);
  return businessId;
}
