import type { Message } from '../../generated/prisma/client.js';
import { countConversationMessageMatches, searchConversationMessages } from '../../db/sql/searchMessages.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { assertOptionalUuid, isUuid } from '../ids.js';
import { MAX_PAGE_SIZE, pageWindow } from '../paging.js';
import { checkSearchQuery } from './checkSearchQuery.js';
import type { PrismaQuery } from '../prismaQuery.js';

export interface MessageSearchHit {
  message: Message;
  rank: number;
  /** Matching text with <mark>…</mark> around the matched words. */
  snippet: string;
}

/**
 * "Search messages within a specific conversation": ranked, highlighted, over the full history.
 * A page is `limit` hits after `offset` of them, or after the hit `afterId` (keyset, in rank order).
 */
export async function searchMessages(
  deps: Deps,
  input: { businessId: string; conversationId: string; query: string; limit?: number; offset?: number; afterId?: string },
  query: PrismaQuery = {},
): Promise<MessageSearchHit[]> {
  const text = checkSearchQuery(input.query);
  assertOptionalUuid(input.afterId, ['afterId']);
  // One statement checks the conversation belongs to the business and searches it (an id that is
  // not a UUID names no conversation, as in getConversation).
  const window = pageWindow({ limit: Math.min(input.limit ?? 20, MAX_PAGE_SIZE), offset: input.offset });
  // One more than asked when the caller reads ahead (REST's next_cursor), never more than MAX_PAGE_SIZE + 1.
  const page = { limit: Math.min(input.limit ?? 20, MAX_PAGE_SIZE + 1), offset: window.offset, ...(input.afterId ? { afterId: input.afterId } : {}) };
  const hits = isUuid(input.conversationId) ? await searchConversationMessages(deps.sql, input.businessId, input.conversationId, text, page) : null;
  if (!hits) throw new NotFoundError('CONVERSATION_NOT_FOUND', `No conversation ${JSON.stringify(input.conversationId)} in business ${JSON.stringify(input.businessId)}.`);
  if (hits.length === 0) return [];
  const rows = (await deps.prisma.message.findMany({ ...(query as object), where: { id: { in: hits.map((h) => h.id) } } })) as Message[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return hits.flatMap((h) => {
    const message = byId.get(h.id);
    return message ? [{ message, rank: h.rank, snippet: h.snippet }] : [];
  });
}

/** How many messages of the conversation match the search: the total of searchMessages' pages. */
export async function countMessageMatches(deps: Deps, input: { businessId: string; conversationId: string; query: string }): Promise<number> {
  const text = checkSearchQuery(input.query);
  return isUuid(input.conversationId) ? countConversationMessageMatches(deps.sql, input.businessId, input.conversationId, text) : 0;
}
