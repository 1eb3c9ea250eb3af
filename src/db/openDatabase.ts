// Opens the process's database: DATABASE_URL when set, else the embedded PostgreSQL; creates the
// one pool and applies our migrations and graphile-worker's. Used by the API, the worker, tests and benchmarks.
import { runMigrations as runWorkerMigrations } from 'graphile-worker';
import type { Logger as PinoLogger } from 'pino';
import type { Config } from '../config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.js';
import { migrate, type MigrateResult } from './migrate.js';
import { createPool, type Pool } from './pool.js';
import { graphileWorkerLogger } from './graphileWorkerLogger.js';

export interface Database {
  url: string;
  pool: Pool;
  embedded: EmbeddedDatabase | null;
  migrations: MigrateResult;
  close(): Promise<void>;
}

export async function openDatabase(config: Config, log: PinoLogger): Promise<Database> {
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ ...config.embeddedPg, database: 'omega' });
  const url = config.databaseUrl ?? embedded!.url;
  let closing = false;
  // pool.end() resolves before its sockets are closed; the embedded server stopping right after
  // then terminates them, which is expected at that point and not worth an error line.
  const pool = createPool(url, config.pgPoolMax, (err) => {
    if (!closing) log.error({ err }, 'database connection failed');
  });
  try {
    const migrations = await migrate(pool);
    await runWorkerMigrations({ pgPool: pool, logger: graphileWorkerLogger(log) });
    return {
      url,
      pool,
      embedded,
      migrations,
      async close() {
        closing = true;
        await pool.end();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await pool.end().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw err;
  }
}
