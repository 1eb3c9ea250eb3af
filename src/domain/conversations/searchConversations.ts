import type { Conversation } from '../../generated/prisma/client.js';
import { searchBusinessConversations } from '../../db/sql/searchMessages.js';
import type { Deps } from '../deps.js';
import { checkSearchQuery } from '../messages/checkSearchQuery.js';
import { clientSearchText } from '../clients/clientSearchText.js';
import type { PrismaQuery } from '../prismaQuery.js';
import { MAX_PAGE_SIZE, pageWindow } from '../paging.js';

export interface ConversationSearchHit {
  conversation: Conversation;
  rank: number;
  snippet: string | null;
  matched: 'messages' | 'client' | 'both';
  messageId: string | null;
}

/**
 * Conversations of a business by message text (full text) or by client name, phone or email (trigram).
 * Message text ranks the business's most recent matching messages only (MESSAGE_CANDIDATES, see
 * searchBusinessConversations), so a common word costs the same in a business of any size.
 */
export async function searchConversations(deps: Deps, input: { businessId: string; query: string; limit?: number; offset?: number }, query: PrismaQuery = {}): Promise<ConversationSearchHit[]> {
  const text = checkSearchQuery(input.query);
  const { limit, offset } = pageWindow({ limit: Math.min(input.limit ?? 20, MAX_PAGE_SIZE), offset: input.offset });
  const hits = await searchBusinessConversations(deps.sql, input.businessId, text, clientSearchText(text), limit, offset, deps.clock.now());
  if (hits.length === 0) return [];
  const rows = (await deps.prisma.conversation.findMany({ ...(query as object), where: { id: { in: hits.map((h) => h.conversation_id) } } })) as Conversation[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return hits.flatMap((h) => {
    const conversation = byId.get(h.conversation_id);
    return conversation ? [{ conversation, rank: h.rank, snippet: h.snippet, matched: h.matched, messageId: h.message_id }] : [];
  });
}
