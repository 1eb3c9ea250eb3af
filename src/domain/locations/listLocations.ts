import type { Location } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { getBusiness } from '../businesses/getBusiness.js';
import type { PrismaQuery } from '../prismaQuery.js';

/** Every location of a business, by name. Unknown business: BUSINESS_NOT_FOUND. */
export async function listLocations(deps: Deps, businessId: string, query: PrismaQuery = {}): Promise<Location[]> {
  const [, locations] = await Promise.all([
    getBusiness(deps, businessId, { select: { id: true } }),
    deps.prisma.location.findMany({ ...(query as object), where: { businessId }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  ]);
  return locations as Location[];
}
