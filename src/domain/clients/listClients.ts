import type { Client } from '../../generated/prisma/client.js';
import { countClients, selectClientPage, type ClientListFilter } from '../../db/sql/selectClientPage.js';
import type { Deps } from '../deps.js';
import { assertOptionalUuid } from '../ids.js';
import { toKeysetPage, type PageArgs } from '../paging.js';
import type { PrismaQuery } from '../prismaQuery.js';
import { checkSearchQuery } from '../messages/checkSearchQuery.js';
import { clientSearchText } from './clientSearchText.js';

export type { ClientListFilter };

function check(filter: ClientListFilter): ClientListFilter {
  assertOptionalUuid(filter.homeLocationId, ['filter', 'homeLocationId']);
  return filter.search !== undefined ? { ...filter, search: clientSearchText(checkSearchQuery(filter.search)) } : filter;
}

/** A business's clients by name, or by best match when searching name, phone or email. */
export async function listClients(deps: Deps, input: { businessId: string; filter?: ClientListFilter; page?: PageArgs }, query: PrismaQuery = {}): Promise<Client[]> {
  const filter = check(input.filter ?? {});
  const page = toKeysetPage(input.page ?? {});
  if (page.backwards) page.limit = Math.min(page.limit, 101);
  const ids = await selectClientPage(deps.sql, input.businessId, filter, { limit: page.limit, offset: page.offset ?? 0, ...(page.afterId ? { afterId: page.afterId } : {}) });
  if (ids.length === 0) return [];
  const rows = (await deps.prisma.client.findMany({ ...(query as object), where: { id: { in: ids } } })) as Client[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function countClientList(deps: Deps, input: { businessId: string; filter?: ClientListFilter }): Promise<number> {
  return countClients(deps.sql, input.businessId, check(input.filter ?? {}));
}
