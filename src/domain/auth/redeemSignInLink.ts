import { consumeSignInLink } from '../../db/sql/consumeSignInLink.js';
import { runTransaction } from '../../db/transaction.js';
import type { Deps } from '../deps.js';
import { ConflictError, GoneError, UnauthenticatedError } from '../errors.js';
import { staffName } from '../staff/staffName.js';
import { hashSignInToken } from './signInToken.js';
import { startSession, type StartedSession } from './startSession.js';

export interface SignedIn extends StartedSession {
  staffName: string;
}

const invalid = (why: string) => new UnauthenticatedError('SIGN_IN_LINK_INVALID', `This sign-in link is not valid${why}: ask for a new one.`);

/**
 * Opens a sign-in link: once only, while it is valid and the key that minted it is active. Starts a
 * browser session for its staff member (OMEGA_SIGN_IN_SESSION_TTL_SECONDS), recorded on the link.
 * Errors: SIGN_IN_LINK_INVALID (no such link, or its key was revoked), SIGN_IN_LINK_USED,
 * SIGN_IN_LINK_EXPIRED; STAFF_INACTIVE when the staff member was deactivated since (the link stays
 * unused).
 */
export async function redeemSignInLink(deps: Deps, input: { token: string; userAgent?: string | null }): Promise<SignedIn> {
  const tokenHash = hashSignInToken(input.token.trim());
  if (tokenHash === null) throw invalid('');
  const now = deps.clock.now();
  const signedIn = await runTransaction(deps, async (tx) => {
    const link = await consumeSignInLink(tx.sql, { tokenHash, now });
    if (!link) return null;
    if (!link.staff_active) throw new ConflictError('STAFF_INACTIVE', `Staff member ${link.staff_id} is not active; this link cannot sign them in.`);
    const session = await startSession(deps, tx.prisma, {
      businessId: link.business_id,
      staffId: link.staff_id,
      apiKeyId: link.api_key_id,
      ttlSeconds: deps.auth.signInSessionTtlSeconds,
      userAgent: input.userAgent,
    });
    await tx.prisma.signInLink.update({ where: { id: link.id }, data: { sessionId: session.sessionId }, select: { id: true } });
    return { ...session, staffName: staffName({ firstName: link.first_name, lastName: link.last_name }) };
  });
  if (signedIn) return signedIn;
  // Why not: told apart only after the atomic attempt failed.
  const link = await deps.prisma.signInLink.findUnique({ where: { tokenHash }, select: { usedAt: true, expiresAt: true } });
  if (!link) throw invalid('');
  if (link.usedAt) throw new GoneError('SIGN_IN_LINK_USED', 'This sign-in link has been used already; a link signs in once. Ask for a new one.');
  if (link.expiresAt.getTime() <= now.getTime()) throw new GoneError('SIGN_IN_LINK_EXPIRED', 'This sign-in link has expired. Ask for a new one.');
  throw invalid(' any more (the key that made it was revoked)');
}
