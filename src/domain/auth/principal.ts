import { ForbiddenError, UnauthenticatedError } from '../errors.js';

/** Who is calling: a service key (every business) or a key bound to one business. */
export type Principal =
  | { kind: 'service'; apiKeyId: string }
  | { kind: 'business'; apiKeyId: string; businessId: string };

export function requirePrincipal(principal: Principal | null): Principal {
  if (!principal) {
    throw new UnauthenticatedError(
      'UNAUTHENTICATED',
      'Missing or invalid credentials: send an API key in the X-API-KEY header (or the omega_api_key cookie).',
    );
  }
  return principal;
}

export function canAccessBusiness(principal: Principal | null, businessId: string): boolean {
  return principal !== null && (principal.kind === 'service' || principal.businessId === businessId);
}

/** The single access rule for business data, used by REST, GraphQL and subscriptions alike. */
export function assertBusinessAccess(principal: Principal | null, businessId: string): Principal {
  const p = requirePrincipal(principal);
  if (!canAccessBusiness(p, businessId)) {
    throw new ForbiddenError(
      'BUSINESS_FORBIDDEN',
      `These credentials belong to another business and cannot act on business ${JSON.stringify(businessId)}.`,
    );
  }
  return p;
}

export function assertService(principal: Principal | null): Principal {
  const p = requirePrincipal(principal);
  if (p.kind !== 'service') {
    throw new ForbiddenError('SERVICE_KEY_REQUIRED', 'This operation needs a service API key; a business key cannot use it.');
  }
  return p;
}
