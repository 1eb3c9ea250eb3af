import { assertBusinessAccess, requirePrincipal, type Principal } from '../auth/principal.js';
import { NotFoundError } from '../errors.js';

/**
 * Which endpoints a caller may name, as a Prisma `where` part: those of the business it names (its
 * own, or any with a service key; credentials of another business: 403), else every business for a
 * service key and its own business for the rest. An endpoint outside it does not exist for the
 * caller: 404, never 403, so ids of other businesses' endpoints reveal nothing.
 */
export function webhookEndpointScope(principal: Principal | null, businessId?: string | null): { businessId?: string } {
  const p = requirePrincipal(principal);
  if (businessId != null) {
    assertBusinessAccess(p, businessId);
    return { businessId };
  }
  return p.kind === 'service' ? {} : { businessId: p.businessId };
}

export function webhookEndpointNotFound(id: string, businessId?: string | null): NotFoundError {
  return new NotFoundError('WEBHOOK_ENDPOINT_NOT_FOUND', `No webhook endpoint ${JSON.stringify(id)}${businessId != null ? ` in business ${JSON.stringify(businessId)}` : ''}.`);
}
