import type { Conversation } from '../../generated/prisma/client.js';
import { countConversations, selectConversationPage, type ConversationListFilter } from '../../db/sql/selectConversationPage.js';
import type { Deps } from '../deps.js';
import { assertOptionalUuid } from '../ids.js';
import { toKeysetPage, type PageArgs } from '../paging.js';
import type { PrismaQuery } from '../prismaQuery.js';

export type { ConversationListFilter };

function checkFilter(filter: ConversationListFilter): void {
  assertOptionalUuid(filter.assigneeId, ['filter', 'assignee_id']);
  assertOptionalUuid(filter.locationId, ['filter', 'location_id']);
  assertOptionalUuid(filter.clientId, ['filter', 'client_id']);
}

/**
 * One page of a business's inbox: pinned first, then most recent activity. Two statements whatever
 * the page size: the page's ids by keyset (raw SQL on the inbox indexes), then the rows with the
 * relations the caller asked for (GraphQL's planned `query`), loaded by Prisma in batches.
 */
export async function listConversations(
  deps: Deps,
  input: { businessId: string; filter?: ConversationListFilter; page?: PageArgs },
  query: PrismaQuery = {},
): Promise<Conversation[]> {
  const filter = input.filter ?? {};
  checkFilter(filter);
  const ids = await selectConversationPage(deps.pool, input.businessId, filter, toKeysetPage(input.page ?? {}));
  if (ids.length === 0) return [];
  const rows = (await deps.prisma.conversation.findMany({ ...(query as object), where: { id: { in: ids } } })) as Conversation[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function countConversationList(deps: Deps, input: { businessId: string; filter?: ConversationListFilter }): Promise<number> {
  const filter = input.filter ?? {};
  checkFilter(filter);
  return countConversations(deps.pool, input.businessId, filter);
}
