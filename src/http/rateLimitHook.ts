// Rate limits on the REST routes and /graphql: per API key or session, or per client IP for
// requests without valid credentials. Counters live in PostgreSQL (consumeRateLimit; an API key is
// checked and counted in one statement, authenticateApiKeyAndCount), so the limit
// holds across every gateway process. Routes that authenticate otherwise (health checks, provider
// webhooks signed by Twilio/Resend) and the API docs are not limited.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isConnectionError } from '../db/isConnectionError.js';
import { authenticateApiKeyAndCount } from '../domain/auth/authenticateApiKey.js';
import { consumeRateLimit, type RateLimitDecision } from '../domain/auth/consumeRateLimit.js';
import { credentialId } from '../domain/auth/principal.js';
import type { Deps } from '../domain/deps.js';
import { RateLimitedError } from '../domain/errors.js';
import { readCredential, rememberPrincipal, requestPrincipal } from './principal.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Set on every route registered after registerRateLimit whose auth is the default (API key or
     * session): counted per credential. `'ip'`: a public route marked `limitByIp`, counted per client
     * IP without reading credentials (a stale cookie must not stop someone signing in).
     */
    rateLimited?: boolean | 'ip';
    /** A public route (`auth: 'none'`) that is still limited, per client IP (the sign-in routes). */
    limitByIp?: boolean;
  }
}

/** Limits the routes registered after this call; `perMinute` 0 turns limiting off. */
export function registerRateLimit(app: FastifyInstance, deps: Deps, perMinute: number): void {
  if (perMinute <= 0) return;
  app.addHook('onRoute', (route) => {
    const auth = route.config?.auth;
    if (auth === 'none' || auth === 'signature') {
      if (route.config?.limitByIp) route.config = { ...route.config, rateLimited: 'ip' };
      return;
    }
    route.config = { ...route.config, rateLimited: true };
  });
  app.addHook('onRequest', async (req, reply) => {
    const mode = req.routeOptions.config.rateLimited;
    if (!mode) return;
    try {
      const decision = mode === 'ip' ? await consumeRateLimit(deps, { key: `ip:${req.ip}`, limit: perMinute }) : await countRequest(deps, req, perMinute);
      reply.header('x-ratelimit-limit', String(decision.limit));
      reply.header('x-ratelimit-remaining', String(decision.remaining));
    } catch (err) {
      if (err instanceof RateLimitedError) deps.metrics.rateLimitRefusals.inc({ kind: mode === 'ip' ? 'ip' : 'credential' });
      // Fail open when the database is unreachable: the route then answers in its own shape
      // (REST 503, GraphQL DATABASE_UNAVAILABLE) instead of the limiter answering for it.
      if (!isConnectionError(err)) throw err;
      req.log.warn({ err }, 'rate limit not checked: database unreachable');
    }
  });
}

/**
 * Authenticates the request and counts it. An API key (most calls) is checked and counted in one
 * statement, and the principal kept for the route; a session or no credential: authentication,
 * then the count.
 */
async function countRequest(deps: Deps, req: FastifyRequest, perMinute: number): Promise<RateLimitDecision> {
  const credential = readCredential(req.headers);
  if (credential?.kind === 'api_key') {
    const { principal, decision } = await authenticateApiKeyAndCount(deps, credential.value, { fallbackKey: `ip:${req.ip}`, limit: perMinute });
    rememberPrincipal(req, principal);
    return decision;
  }
  const principal = await requestPrincipal(deps, req);
  return consumeRateLimit(deps, { key: principal ? credentialId(principal) : `ip:${req.ip}`, limit: perMinute });
}
