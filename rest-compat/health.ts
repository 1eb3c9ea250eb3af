import type { FastifyPluginAsync } from 'fastify';
import { checkDatabase } from '../src/domain/health/checkDatabase.js';
import { getHealth } from '../src/domain/health/getHealth.js';
import type { Deps } from '../src/domain/deps.js';
import { describe } from './catalog.js';
import { errorResponse } from './schemas.js';

export function healthRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    app.get('/health', {
      config: { auth: 'none' },
      schema: {
        ...describe('GET', '/health'),
        description: 'Liveness of this process; does not touch the database.',
        response: {
          200: {
            type: 'object',
            properties: { status: { type: 'string' }, service: { type: 'string' }, version: { type: 'string' }, uptime_seconds: { type: 'number' } },
            required: ['status', 'service', 'version', 'uptime_seconds'],
          },
        },
      },
    }, async () => {
      const h = getHealth();
      return { status: h.status, service: h.service, version: h.version, uptime_seconds: h.uptimeSeconds };
    });

    app.get('/health/db', {
      config: { auth: 'none' },
      schema: {
        ...describe('GET', '/health/db'),
        description: 'One round trip to PostgreSQL; 503 when it is unreachable.',
        response: {
          200: {
            type: 'object',
            properties: { status: { type: 'string' }, latency_ms: { type: 'number' }, server_version: { type: 'string' } },
            required: ['status', 'latency_ms', 'server_version'],
          },
          503: { ...errorResponse, description: 'Database unreachable' },
        },
      },
    }, async () => {
      const db = await checkDatabase(deps);
      return { status: db.status, latency_ms: db.latencyMs, server_version: db.serverVersion };
    });
  };
}
