// GET /metrics on the main port (only with OMEGA_METRICS_TOKEN: `Authorization: Bearer <token>`),
// and the request-duration histogram of every HTTP request. Without a token the route does not
// exist: /metrics answers 404 like any unknown path (the separate metrics port serves it then).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../observability/createMetrics.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** omega_http_request_duration_seconds for every request: route pattern (unmatched: no route), method, status code. */
export function registerHttpMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (req, reply) => {
    metrics.httpRequestDuration.observe(
      { method: METHODS.has(req.method) ? req.method : 'other', route: req.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}

/** The route, when a token is configured; not rate limited, and logged only at warn and above (scrapes are frequent). */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics, token: string | undefined): void {
  if (!token) return;
  const allowed = bearerCheck(token);
  app.get('/metrics', { config: { auth: 'none' }, logLevel: 'warn', schema: { hide: true } }, async (req, reply) => {
    if (!allowed(req.headers.authorization)) {
      return reply.status(401).header('www-authenticate', 'Bearer realm="metrics"').send({ detail: '/metrics needs `Authorization: Bearer <OMEGA_METRICS_TOKEN>`.', code: 'UNAUTHENTICATED' });
    }
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });
}

/** Compares `Authorization: Bearer <x>` with the token in constant time (both hashed first, so lengths leak nothing either). */
export function bearerCheck(token: string): (header: string | undefined) => boolean {
  const expected = createHash('sha256').update(token).digest();
  return (header) => {
    const match = /^Bearer +(\S+)\s*$/i.exec(header ?? '');
    const given = createHash('sha256')
      .update(match?.[1] ?? '')
      .digest();
    return timingSafeEqual(given, expected) && match !== null;
  };
}
