import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { checkDatabase } from '../src/domain/health/checkDatabase.js';
import { getHealth } from '../src/domain/health/getHealth.js';
import type { Deps } from '../src/domain/deps.js';
import { describe } from './catalog.js';
import { errorResponse } from './schemas.js';

export function healthRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/health',
      {
        config: { auth: 'none' },
        schema: {
          ...describe('GET', '/health'),
          description: 'Liveness of this process; does not touch the database.',
          security: [],
          response: {
            200: Type.Object({ status: Type.String(), service: Type.String(), version: Type.String(), uptime_seconds: Type.Number() }),
          },
        },
      },
      async () => {
        const h = getHealth();
        return { status: h.status, service: h.service, version: h.version, uptime_seconds: h.uptimeSeconds };
      },
    );

    app.get(
      '/health/db',
      {
        config: { auth: 'none' },
        schema: {
          ...describe('GET', '/health/db'),
          description: 'One round trip to PostgreSQL; 503 when it is unreachable.',
          security: [],
          response: {
            200: Type.Object({ status: Type.String(), latency_ms: Type.Number(), server_version: Type.String() }),
            503: errorResponse('Database unreachable'),
          },
        },
      },
      async () => {
        const db = await checkDatabase(deps);
        return { status: db.status, latency_ms: db.latencyMs, server_version: db.serverVersion };
      },
    );
  };
}
