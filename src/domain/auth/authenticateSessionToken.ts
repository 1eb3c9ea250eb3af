import { jwtVerify } from 'jose';
import { selectActiveSession } from '../../db/sql/selectActiveSession.js';
import { touchSession } from '../../db/sql/touchSession.js';
import type { Deps } from '../deps.js';
import { isUuid } from '../ids.js';
import type { Principal } from './principal.js';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './sessionToken.js';

/**
 * Resolves a session token to a principal, or null when its signature, issuer, audience or expiry
 * is wrong, or its Session row is revoked, expired, or belongs to an inactive staff member. The
 * signature is checked first, so forged tokens cost no database read.
 */
export async function authenticateSessionToken(deps: Deps, token: string): Promise<Principal | null> {
  if (token.length > 4096) return null;
  let claims: { jti?: unknown; sub?: unknown; bid?: unknown };
  try {
    ({ payload: claims } = await jwtVerify(token, deps.auth.tokenKey, {
      algorithms: [TOKEN_ALGORITHM],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      currentDate: deps.clock.now(),
      requiredClaims: ['jti', 'sub', 'exp'],
    }));
  } catch {
    return null;
  }
  if (typeof claims.jti !== 'string' || !isUuid(claims.jti)) return null;
  const row = await selectActiveSession(deps.sql, claims.jti);
  if (!row || row.staff_id !== claims.sub || row.business_id !== claims.bid) return null;
  if (row.stale) {
    // Bookkeeping only: a failure here must not fail the request.
    touchSession(deps.sql, row.id).catch(() => undefined);
  }
  return { kind: 'session', sessionId: row.id, businessId: row.business_id, staffId: row.staff_id, expiresAt: row.expires_at };
}
