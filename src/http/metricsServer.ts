// The metrics port (OMEGA_METRICS_PORT on OMEGA_METRICS_HOST, 127.0.0.1 by default): a small HTTP
// server apart from the API that answers only GET /metrics and GET /health/ready, for gateways and
// for worker processes (which have no HTTP server otherwise). With OMEGA_METRICS_TOKEN set, its
// /metrics asks for the token too.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from '../observability/createMetrics.js';
import type { Readiness } from '../observability/createReadiness.js';
import { bearerCheck } from './metricsRoute.js';

export interface MetricsServer {
  /** The port it listens on (the one asked, or the one given for 0). */
  port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(options: { host: string; port: number; metrics: Metrics; readiness: Readiness; token?: string | undefined }): Promise<MetricsServer> {
  const allowed = options.token ? bearerCheck(options.token) : () => true;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { detail: 'Only GET is served here.', code: 'METHOD_NOT_ALLOWED' });
    if (path === '/metrics') {
      if (!allowed(req.headers.authorization)) return json(401, { detail: '/metrics needs `Authorization: Bearer <OMEGA_METRICS_TOKEN>`.', code: 'UNAUTHENTICATED' });
      options.metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': options.metrics.registry.contentType, 'cache-control': 'no-store' });
          res.end(text);
        },
        (err: unknown) => json(500, { detail: `metrics could not be collected: ${err instanceof Error ? err.message : String(err)}`, code: 'INTERNAL_SERVER_ERROR' }),
      );
      return;
    }
    if (path === '/health/ready') {
      options.readiness.check().then(
        (r) => json(r.status === 'ready' ? 200 : 503, r),
        (err: unknown) => json(500, { detail: `readiness could not be checked: ${err instanceof Error ? err.message : String(err)}`, code: 'INTERNAL_SERVER_ERROR' }),
      );
      return;
    }
    json(404, { detail: `No route ${req.method} ${path}; this port serves /metrics and /health/ready.`, code: 'NOT_FOUND' });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
