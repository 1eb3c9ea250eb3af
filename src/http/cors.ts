// CORS for every route (REST, /graphql, docs): an allow-list, never a reflection of any origin.
//
// - A listed origin (OMEGA_CORS_ORIGINS) gets Access-Control-Allow-Origin with credentials, on its
//   preflights and its requests. Any other origin gets no CORS header at all, so its pages cannot
//   read an answer; the default list is empty (pages Omega serves are same-origin and need none).
// - Preflights are answered here, before rate limiting and authentication: they carry no
//   credentials and cost no request of anybody's limit. Browsers keep a positive answer for
//   Access-Control-Max-Age seconds, so a page pays for one preflight per request shape.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ForbiddenError } from '../domain/errors.js';
import { clip } from './clip.js';
import type { OriginPolicy } from './originPolicy.js';
import { appendVary } from './vary.js';

/** How long browsers may keep a preflight's answer: Chromium's ceiling (2 hours). */
export const PREFLIGHT_MAX_AGE_SECONDS = 7200;

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';

/** Request headers Omega reads from browsers (credentials, content type, CSRF headers, tracing); always allowed to listed origins. */
const ALLOWED_HEADERS = ['content-type', 'accept', 'authorization', 'x-api-key', 'x-request-id', 'x-graphql-yoga-csrf', 'graphql-require-preflight', 'apollo-require-preflight'];

/** Response headers a listed origin's scripts may read. */
const EXPOSED_HEADERS = 'x-request-id, retry-after, x-ratelimit-limit, x-ratelimit-remaining';

export function registerCors(app: FastifyInstance, policy: OriginPolicy): void {
  app.addHook('onRequest', async (req, reply) => {
    // Answers differ by Origin once some origin is listed: every one says so, or a shared cache
    // could give a listed origin the answer made for a request without Origin.
    if (policy.corsOrigins.length > 0) appendVary(reply, 'Origin');
    const origin = req.headers.origin;
    if (origin === undefined) return;
    const listed = policy.isListed(origin);
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!preflight) {
      if (listed) allowOrigin(reply, origin).header('access-control-expose-headers', EXPOSED_HEADERS);
      return;
    }
    if (!listed) {
      // A same-origin page never sends a preflight; anything else that does is not allowed.
      throw new ForbiddenError('CORS_ORIGIN_FORBIDDEN', `Cross-origin requests from ${clip(origin)} are not allowed. Add the origin to OMEGA_CORS_ORIGINS to allow its pages to call this API.`);
    }
    allowOrigin(reply, origin)
      .header('access-control-allow-methods', ALLOWED_METHODS)
      .header('access-control-allow-headers', allowedHeaders(req.headers['access-control-request-headers']).join(', '))
      .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
    return reply.status(204).send();
  });
}

/**
 * Omega's own headers, and those a listed origin's page asks to send besides (tracing headers such
 * as traceparent or sentry-trace; Omega ignores them): at most 30 well-formed header names.
 */
function allowedHeaders(requested: string | undefined): string[] {
  const asked = (requested ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => /^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/.test(h))
    .slice(0, 30);
  return [...new Set([...ALLOWED_HEADERS, ...asked])];
}

function allowOrigin(reply: FastifyReply, origin: string): FastifyReply {
  return reply.header('access-control-allow-origin', origin).header('access-control-allow-credentials', 'true');
}
