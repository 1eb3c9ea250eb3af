// Rate limits on the REST routes and /graphql: per API key or session, or per client IP for
// requests without valid credentials. Counters live in PostgreSQL (consumeRateLimit), so the limit
// holds across every gateway process. Routes that authenticate otherwise (health checks, provider
// webhooks signed by Twilio/Resend) and the API docs are not limited.
import type { FastifyInstance } from 'fastify';
import { isConnectionError } from '../db/isConnectionError.js';
import { consumeRateLimit } from '../domain/auth/consumeRateLimit.js';
import { credentialId } from '../domain/auth/principal.js';
import type { Deps } from '../domain/deps.js';
import { resolvePrincipal } from './principal.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on every route registered after registerRateLimit whose auth is the default (API key or session). */
    rateLimited?: boolean;
  }
}

/** Limits the routes registered after this call; `perMinute` 0 turns limiting off. */
export function registerRateLimit(app: FastifyInstance, deps: Deps, perMinute: number): void {
  if (perMinute <= 0) return;
  app.addHook('onRoute', (route) => {
    const auth = route.config?.auth;
    if (auth === 'none' || auth === 'signature') return;
    route.config = { ...route.config, rateLimited: true };
  });
  app.addHook('onRequest', async (req, reply) => {
    if (!req.routeOptions.config.rateLimited) return;
    try {
      const principal = await resolvePrincipal(deps, req.headers);
      const decision = await consumeRateLimit(deps, { key: principal ? credentialId(principal) : `ip:${req.ip}`, limit: perMinute });
      reply.header('x-ratelimit-limit', String(decision.limit));
      reply.header('x-ratelimit-remaining', String(decision.remaining));
    } catch (err) {
      // Fail open when the database is unreachable: the route then answers in its own shape
      // (REST 503, GraphQL DATABASE_UNAVAILABLE) instead of the limiter answering for it.
      if (!isConnectionError(err)) throw err;
      req.log.warn({ err }, 'rate limit not checked: database unreachable');
    }
  });
}
