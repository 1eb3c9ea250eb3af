// Shared by the sending benchmarks: a dedicated database on the system PostgreSQL (dropped and
// created per run, migrated like production), and small statistics helpers.
import { runMigrations as runWorkerMigrations } from 'graphile-worker';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';
import { migrate } from '../src/db/migrate.js';
import { createPool } from '../src/db/pool.js';

/** The server to benchmark on: BENCH_PG_URL, else the system PostgreSQL on 127.0.0.1:5432. */
export const BENCH_SERVER = process.env['BENCH_PG_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(BENCH_SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops and recreates database `name`, then applies our migrations and graphile-worker's. */
export async function freshDatabase(name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  const admin = new pg.Client({ connectionString: BENCH_SERVER });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const pool = createPool(url, 2, () => undefined);
  try {
    await migrate(pool);
    await runWorkerMigrations({ pgPool: pool });
  } finally {
    await pool.end();
  }
  return url;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** A TCP port free on 127.0.0.1 right now (for a server the benchmark starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface Gateway {
  port: number;
  pid: number;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
}

/**
 * `npm start`'s process (node --import tsx src/main.ts; with `production`, the build's node dist/main.js) on a free port against `databaseUrl`, with
 * the worker and demo seed off, the rate limiter off and a pool of 40, plus `env`; resolves once
 * /health answers 200 (60 s at most). BENCH_GATEWAY_NODE_ARGS adds node options to that process
 * (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the gateway under the benchmark's load).
 */
export async function startGateway(databaseUrl: string, env: Record<string, string> = {}, options: { production?: boolean } = {}): Promise<Gateway> {
  const port = await freePort();
  const nodeArgs = (process.env['BENCH_GATEWAY_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean);
  const root = new URL('..', import.meta.url).pathname;
  if (options.production && !existsSync(`${root}dist/main.js`)) throw new Error('dist/main.js is missing: run `npm run build` first');
  const child = spawn(process.execPath, [...nodeArgs, ...(options.production ? ['--enable-source-maps', 'dist/main.js'] : ['--import', 'tsx', 'src/main.ts'])], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      OMEGA_WORKER_IN_PROCESS: 'false',
      OMEGA_SEED_DEMO: 'false',
      OMEGA_RATE_LIMIT_PER_MINUTE: '0',
      OMEGA_PG_POOL_MAX: '40',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return { port, pid: child.pid!, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start within 60 s');
}

/** The fake Twilio (test/helpers/fakeTwilio.ts) as a process of its own, so its work is not the benchmark's. */
export async function startFakeTwilioProcess(args: string[] = ['--no-record']): Promise<{ child: ChildProcess; url: string; accountSid: string; authToken: string }> {
  const child = fork(new URL('../test/helpers/fakeTwilioProcess.ts', import.meta.url).pathname, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve({ child, ...JSON.parse(d.toString()) }));
    child.once('exit', () => reject(new Error('fake Twilio exited')));
  });
}

/** Linux's USER_HZ: /proc counts CPU time in these ticks. */
const CLOCK_TICKS = 100;

/** CPU time of a process from /proc (Linux), in ms; 0 when it is gone. */
export function procCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
