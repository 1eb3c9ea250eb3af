import { ForbiddenError, UnauthenticatedError } from '../errors.js';

/**
 * Who is calling: a service key (every business), a key bound to one business, or a staff member's
 * session (a token from POST /auth/token), which acts on its own business only.
 */
export type Principal =
  { kind: 'service'; apiKeyId: string } | { kind: 'business'; apiKeyId: string; businessId: string } | { kind: 'session'; sessionId: string; businessId: string; staffId: string; expiresAt: Date };

/** What every surface answers without valid credentials (none sent, or wrong, expired or revoked). */
export function unauthenticated(): UnauthenticatedError {
  return new UnauthenticatedError(
    'UNAUTHENTICATED',
    'Missing or invalid credentials: send an API key in the X-API-KEY header (or the omega_api_key cookie), or a session token as "Authorization: Bearer <token>" (or the omega_session cookie). A key or token that was revoked or has expired is invalid.',
  );
}

export function requirePrincipal(principal: Principal | null): Principal {
  if (!principal) throw unauthenticated();
  return principal;
}

export function canAccessBusiness(principal: Principal | null, businessId: string): boolean {
  return principal !== null && (principal.kind === 'service' || principal.businessId === businessId);
}

/** The single access rule for business data, used by REST, GraphQL and subscriptions alike. */
export function assertBusinessAccess(principal: Principal | null, businessId: string): Principal {
  const p = requirePrincipal(principal);
  if (!canAccessBusiness(p, businessId)) {
    throw new ForbiddenError('BUSINESS_FORBIDDEN', `These credentials belong to another business and cannot act on business ${JSON.stringify(businessId)}.`);
  }
  return p;
}

/**
 * The staff member an operation is done as: a note's author, a message's sender or recorder, the
 * staff member who retried, whose read position moves. A session is its staff member: with no
 * staff id given it acts as that one, and it may not name another (403 STAFF_FORBIDDEN: a session
 * cannot write, send or read in a colleague's name). An API key acts as the staff member it names,
 * or as nobody; so does a null principal (Omega itself). Every domain operation that has such a
 * staff member decides it here, whichever adapter called.
 */
export function actingStaffId(principal: Principal | null, given: string | null | undefined): string | null {
  if (principal?.kind === 'session') {
    if (given != null && given !== principal.staffId) {
      throw new ForbiddenError('STAFF_FORBIDDEN', `A session acts as its own staff member (${principal.staffId}) and cannot act as staff member ${given}; leave the staff id out, or use an API key.`);
    }
    return principal.staffId;
  }
  return given ?? null;
}

/** Service and business keys; a session token cannot use this operation (e.g. minting tokens). */
export function assertApiKey(principal: Principal | null): Exclude<Principal, { kind: 'session' }> {
  const p = requirePrincipal(principal);
  if (p.kind === 'session') {
    throw new ForbiddenError('API_KEY_REQUIRED', 'This operation needs an API key (service or business); a session token cannot use it.');
  }
  return p;
}

/** The credential's id as revocation notifications name it ("session:<id>", "api_key:<id>"). */
export function credentialId(principal: Principal): string {
  return principal.kind === 'session' ? `session:${principal.sessionId}` : `api_key:${principal.apiKeyId}`;
}

export function assertService(principal: Principal | null): Principal {
  const p = requirePrincipal(principal);
  if (p.kind !== 'service') {
    throw new ForbiddenError('SERVICE_KEY_REQUIRED', 'This operation needs a service API key; a business key cannot use it.');
  }
  return p;
}
