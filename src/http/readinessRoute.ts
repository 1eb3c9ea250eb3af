// GET /health/ready: 200 when this process can take work (database reachable, migrations applied,
// its worker's heartbeat fresh when it runs one), else 503 saying what failed, or `draining` while
// it shuts down. /health stays the liveness probe that touches nothing.
import type { FastifyInstance } from 'fastify';
import type { Readiness } from '../observability/createReadiness.js';

const check = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok', 'failed', 'not_applicable'] }, detail: { type: 'string' } },
} as const;
const report = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not_ready', 'draining'] },
    checks: { type: 'object', required: ['database', 'migrations', 'worker'], properties: { database: check, migrations: check, worker: check } },
  },
} as const;

export function registerReadinessRoute(app: FastifyInstance, readiness: Readiness): void {
  app.get(
    '/health/ready',
    {
      config: { auth: 'none' },
      // Probes call it every few seconds: their lines only when something is wrong.
      logLevel: 'warn',
      schema: {
        summary: 'Check readiness',
        tags: ['health'],
        operationId: 'getHealthReady',
        description:
          'Readiness of this process: the database answers, every migration is applied and, when the process runs a worker, its heartbeat is fresh. 503 with the failed checks, or `draining` while the process shuts down.',
        security: [],
        response: { 200: report, 503: report },
      },
    },
    async (_req, reply) => {
      const r = await readiness.check();
      return reply.status(r.status === 'ready' ? 200 : 503).send(r);
    },
  );
}
