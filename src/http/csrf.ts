// Cookies never act for another site. Browsers attach the omega_api_key and omega_session cookies
// to requests that other sites' pages make, so a request that authenticates by cookie and could
// change something (any method but GET, HEAD and OPTIONS, on REST and /graphql alike) is refused
// with 403 CSRF_ORIGIN_FORBIDDEN (in each route's error shape) when its Origin may not use credentials (originPolicy.ts).
//
// Together with JSON-only bodies (bodyParsers.ts: a cross-site page cannot send JSON without a
// preflight, which CORS refuses), SameSite=Lax on the session cookie and graphql-yoga's CSRF
// prevention on /graphql, a cookie alone cannot change anything from another site. The routes that
// set the cookie (sameOriginOnly) refuse foreign origins whatever they carry: login CSRF.
import type { FastifyInstance } from 'fastify';
import { ForbiddenError } from '../domain/errors.js';
import { clip } from './clip.js';
import { readCredential } from './principal.js';
import type { OriginPolicy } from './originPolicy.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Refuse this route's unsafe requests from a foreign origin even without a cookie: the routes
     * that set the session cookie (POST /auth/sign-in, /auth/demo-sign-in), which another site must
     * not call to sign a browser in as someone of its choosing (login CSRF).
     */
    sameOriginOnly?: boolean;
  }
}

export function registerCookieCsrfGuard(app: FastifyInstance, policy: OriginPolicy): void {
  app.addHook('onRequest', async (req) => {
    if (SAFE_METHODS.has(req.method)) return;
    if (readCredential(req.headers)?.source !== 'cookie' && !req.routeOptions.config.sameOriginOnly) return;
    const origin = policy.foreignOrigin(req.headers, req.protocol);
    if (origin === null) return;
    throw new ForbiddenError(
      'CSRF_ORIGIN_FORBIDDEN',
      `A request from ${clip(origin)} cannot use Omega's cookies. Pages of other origins must be listed in OMEGA_CORS_ORIGINS, or send an API key or session token in a header instead.`,
    );
  });
}
