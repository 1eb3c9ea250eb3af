import { selectConversationLabels, type ConversationLabelRow } from '../../db/sql/selectConversationLabels.js';
import { authorizeBusiness } from '../auth/authorizeBusiness.js';
import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { assertUuid } from '../ids.js';
import type { LabelView } from './labelFields.js';

/** The labels of these conversations of a business, by conversation (one statement, whatever their number); each list by name. */
export async function getConversationsLabels(deps: Deps, businessId: string, conversationIds: readonly string[]): Promise<Map<string, LabelView[]>> {
  const rows = await selectConversationLabels(deps.sql, businessId, conversationIds);
  const out = new Map<string, LabelView[]>(conversationIds.map((id) => [id, []]));
  for (const r of rows) out.get(r.conversationId)?.push(toLabelView(r));
  return out;
}

function toLabelView({ conversationId: _c, ...label }: ConversationLabelRow): LabelView {
  return label;
}

/** One conversation's labels, by name (keys and sessions; another business's conversation is 404 CONVERSATION_NOT_FOUND). */
export async function listConversationLabels(deps: Deps, input: { principal: Principal | null; businessId: string; conversationId: string }): Promise<LabelView[]> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  const conversationId = assertUuid(input.conversationId, ['conversationId']);
  const found = await deps.prisma.conversation.findFirst({ where: { id: conversationId, businessId: input.businessId }, select: { id: true } });
  if (!found) throw new NotFoundError('CONVERSATION_NOT_FOUND', `No conversation ${conversationId} in business ${JSON.stringify(input.businessId)}.`);
  return (await getConversationsLabels(deps, input.businessId, [conversationId])).get(conversationId) ?? [];
}
