import type { Staff } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { assertOptionalUuid } from '../ids.js';
import type { PrismaQuery } from '../prismaQuery.js';
import { toPrismaPage, type PageArgs } from '../paging.js';

export interface StaffListFilter {
  active?: boolean;
  locationId?: string;
  role?: string;
  /** Part of a name or email, case-insensitive. */
  search?: string;
}

function where(businessId: string, filter: StaffListFilter) {
  assertOptionalUuid(filter.locationId, ['filter', 'locationId']);
  const search = filter.search?.trim();
  return {
    businessId,
    ...(filter.active !== undefined ? { active: filter.active } : {}),
    ...(filter.locationId ? { locationIds: { has: filter.locationId } } : {}),
    ...(filter.role ? { role: filter.role } : {}),
    ...(search
      ? {
          OR: [
            { firstName: { contains: search, mode: 'insensitive' as const } },
            { lastName: { contains: search, mode: 'insensitive' as const } },
            { email: { contains: search, mode: 'insensitive' as const } },
          ],
        }
      : {}),
  };
}

/** Staff of a business by first name (businesses have tens of staff: Prisma's cursor paging is fine here). */
export async function listStaff(deps: Deps, input: { businessId: string; filter?: StaffListFilter; page?: PageArgs }, query: PrismaQuery = {}): Promise<Staff[]> {
  return (await deps.prisma.staff.findMany({
    ...(query as object),
    where: where(input.businessId, input.filter ?? {}),
    orderBy: [{ firstName: 'asc' }, { lastName: 'asc' }, { id: 'asc' }],
    ...toPrismaPage(input.page ?? {}),
  })) as Staff[];
}

export async function countStaff(deps: Deps, input: { businessId: string; filter?: StaffListFilter }): Promise<number> {
  return deps.prisma.staff.count({ where: where(input.businessId, input.filter ?? {}) });
}
