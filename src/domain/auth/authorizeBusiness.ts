import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { assertBusinessAccess, type Principal } from './principal.js';

/**
 * The access rule for an operation that names a business (REST paths, GraphQL arguments), on top
 * of assertBusinessAccess: a service key naming a business that does not exist gets 404
 * BUSINESS_NOT_FOUND everywhere (not an empty list on one route and 404 on another). A business key
 * or session naming another business keeps its 403, so nobody learns which businesses exist; their
 * own business exists, so they cost no statement.
 */
export async function authorizeBusiness(deps: Deps, principal: Principal | null, businessId: string): Promise<Principal> {
  const p = assertBusinessAccess(principal, businessId);
  if (p.kind === 'service' && !(await businessExists(deps, businessId))) {
    throw new NotFoundError('BUSINESS_NOT_FOUND', `No business with id ${JSON.stringify(businessId)}: businesses are created by onboarding (POST /business/onboard).`);
  }
  return p;
}

async function businessExists(deps: Deps, businessId: string): Promise<boolean> {
  return (await deps.prisma.business.findUnique({ where: { id: businessId }, select: { id: true } })) !== null;
}
