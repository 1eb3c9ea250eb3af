import type { Message } from '../../generated/prisma/client.js';
import { searchConversationMessages } from '../../db/sql/searchMessages.js';
import type { Deps } from '../deps.js';
import { getConversation } from '../conversations/getConversation.js';
import { checkSearchQuery } from './checkSearchQuery.js';
import type { PrismaQuery } from '../prismaQuery.js';

export interface MessageSearchHit {
  message: Message;
  rank: number;
  /** Matching text with <mark>…</mark> around the matched words. */
  snippet: string;
}

/** "Search messages within a specific conversation": ranked, highlighted, over the full history. */
export async function searchMessages(
  deps: Deps,
  input: { businessId: string; conversationId: string; query: string; limit?: number; offset?: number },
  query: PrismaQuery = {},
): Promise<MessageSearchHit[]> {
  const text = checkSearchQuery(input.query);
  await getConversation(deps, { conversationId: input.conversationId, businessId: input.businessId }, { select: { id: true } });
  const hits = await searchConversationMessages(deps.pool, input.businessId, input.conversationId, text, Math.min(input.limit ?? 20, 100), input.offset ?? 0);
  if (hits.length === 0) return [];
  const rows = (await deps.prisma.message.findMany({ ...(query as object), where: { id: { in: hits.map((h) => h.id) } } })) as Message[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return hits.flatMap((h) => {
    const message = byId.get(h.id);
    return message ? [{ message, rank: h.rank, snippet: h.snippet }] : [];
  });
}
