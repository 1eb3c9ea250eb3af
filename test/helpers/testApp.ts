// The real app on a database of this file's own: real pool, Prisma, LISTEN/NOTIFY bus and routes.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { createDeps } from '../../src/createDeps.js';
import { createPool } from '../../src/db/pool.js';
import type { Deps } from '../../src/domain/deps.js';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  db: TestDatabase;
  deps: Deps;
  app: FastifyInstance;
  close(): Promise<void>;
}

const quietLog = { warn: () => undefined, info: () => undefined, error: () => undefined };

export async function startTestApp(options: { beforeReady?: (app: FastifyInstance) => void } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const pool = createPool(db.url, 10, () => undefined);
  const deps = await createDeps({ url: db.url, pool }, quietLog);
  const app = await buildApp(deps, { logLevel: 'silent', publicBaseUrl: 'https://omega.test' });
  options.beforeReady?.(app);
  await app.ready();
  return {
    db,
    deps,
    app,
    async close() {
      await app.close();
      await deps.close();
      await pool.end();
      await db.drop();
    },
  };
}

export async function createBusiness(deps: Deps, id: string): Promise<{ id: string; apiKey: string }> {
  await deps.prisma.business.create({ data: { id, name: `Business ${id}` } });
  const { key } = await createApiKey(deps, { name: 'test', businessId: id });
  return { id, apiKey: key };
}

export async function createServiceKey(deps: Deps): Promise<string> {
  return (await createApiKey(deps, { name: 'test service key' })).key;
}
