import type { Message } from '../../generated/prisma/client.js';
import { searchConversationMessages } from '../../db/sql/searchMessages.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { isUuid } from '../ids.js';
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
  // One statement checks the conversation belongs to the business and searches it (an id that is
  // not a UUID names no conversation, as in getConversation).
  const hits = isUuid(input.conversationId)
    ? await searchConversationMessages(deps.pool, input.businessId, input.conversationId, text, Math.min(input.limit ?? 20, 100), input.offset ?? 0)
    : null;
  if (!hits) throw new NotFoundError('CONVERSATION_NOT_FOUND', `No conversation ${JSON.stringify(input.conversationId)} in business ${JSON.stringify(input.businessId)}.`);
  if (hits.length === 0) return [];
  const rows = (await deps.prisma.message.findMany({ ...(query as object), where: { id: { in: hits.map((h) => h.id) } } })) as Message[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return hits.flatMap((h) => {
    const message = byId.get(h.id);
    return message ? [{ message, rank: h.rank, snippet: h.snippet }] : [];
  });
}
