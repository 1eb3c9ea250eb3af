// The omega_session cookie, set and cleared the one way: httpOnly (scripts never read it),
// SameSite=Lax, Secure when PUBLIC_BASE_URL is https, for the whole site, as long as its session.
// Set by POST /auth/token (set_cookie), /auth/sign-in and /auth/demo-sign-in; cleared by /session/expire.
import { serialize } from 'cookie';
import type { FastifyReply } from 'fastify';
import type { StartedSession } from '../src/domain/auth/startSession.js';
import type { Deps } from '../src/domain/deps.js';
import { SESSION_COOKIE } from '../src/http/principal.js';

export function setSessionCookie(reply: FastifyReply, deps: Deps, session: StartedSession): FastifyReply {
  return reply.header(
    'set-cookie',
    serialize(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.auth.secureCookies,
      path: '/',
      maxAge: session.expiresInSeconds,
      expires: session.expiresAt,
    }),
  );
}

export function clearSessionCookie(reply: FastifyReply, deps: Deps): FastifyReply {
  return reply.header('set-cookie', serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: deps.auth.secureCookies, path: '/', maxAge: 0, expires: new Date(0) }));
}
