import { SignJWT } from 'jose';
import type { Prisma, PrismaClient } from '../../db/prisma.js';
import type { Deps } from '../deps.js';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './sessionToken.js';

export interface StartSessionInput {
  businessId: string;
  /** An active staff member of businessId (the caller has checked). */
  staffId: string;
  /** The key that minted the session (directly, or through a sign-in link); null for the demo sign-in. */
  apiKeyId: string | null;
  ttlSeconds: number;
  userAgent?: string | null;
}

export interface StartedSession {
  token: string;
  sessionId: string;
  businessId: string;
  staffId: string;
  expiresAt: Date;
  expiresInSeconds: number;
}

/**
 * A session for a staff member: its Session row (written with `prisma`, which may be a
 * transaction's) and the signed token that names it. The one place a session starts: session
 * tokens (issueAuthToken), sign-in links (redeemSignInLink) and the demo sign-in.
 */
export async function startSession(deps: Deps, prisma: PrismaClient | Prisma.TransactionClient, input: StartSessionInput): Promise<StartedSession> {
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + input.ttlSeconds * 1000);
  const session = await prisma.session.create({
    data: {
      businessId: input.businessId,
      staffId: input.staffId,
      apiKeyId: input.apiKeyId,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      expiresAt,
    },
    select: { id: true },
  });
  const token = await new SignJWT({ bid: input.businessId })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(input.staffId)
    .setJti(session.id)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(deps.auth.tokenKey);
  return { token, sessionId: session.id, businessId: input.businessId, staffId: input.staffId, expiresAt, expiresInSeconds: input.ttlSeconds };
}
