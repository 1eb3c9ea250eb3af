import type { Business } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import type { PrismaQuery } from '../prismaQuery.js';

export async function getBusiness(deps: Deps, businessId: string, query: PrismaQuery = {}): Promise<Business> {
  const business = await deps.prisma.business.findUnique({ ...(query as object), where: { id: businessId } });
  if (!business) throw new NotFoundError('BUSINESS_NOT_FOUND', `No business with id ${JSON.stringify(businessId)}.`);
  return business as Business;
}
