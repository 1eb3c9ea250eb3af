// Shared by the inbox benchmarks: the bench database, the app on a real port, timing and reporting.
// Not a benchmark itself (bench/run.ts skips files starting with _).
import http from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { createDeps } from '../src/createDeps.js';
import { createPool, type Pool } from '../src/db/pool.js';
import type { Deps } from '../src/domain/deps.js';
import { createApiKey } from '../src/domain/auth/createApiKey.js';
import type { Sql } from '../src/db/sqlHandle.js';
export { freePort } from './_support.js';

/** The system PostgreSQL (trust auth); the data set lives in its own database. */
export const ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
/** BENCH_DB overrides it (e.g. a second copy while another data set version is loaded in omega_bench). */
export const BENCH_DB = process.env.BENCH_DB ?? 'omega_bench';
export const BENCH_URL = `postgresql://postgres@127.0.0.1:5432/${BENCH_DB}`;
export const LARGE_BUSINESS = 'bench-large';

export const quietLog = { warn: () => undefined, info: () => undefined, error: () => undefined };

export function hasFlag(name: string): boolean {
  return process.argv.slice(3).includes(name);
}

/** `--runs 5` style option after the benchmark name. */
export function numberOption(name: string, fallback: number): number {
  const args = process.argv.slice(3);
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (e.g. ${name} ${fallback}), got ${JSON.stringify(args[i + 1])}`);
  return value;
}

export function machine(): string {
  const cpu = cpus();
  return `${new Date().toISOString().slice(0, 16)}Z, ${cpu.length} x ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}${failures.count ? `; ${failures.count} failed requests (last: ${failures.last})` : ''}`;
}

// ---- statistics ------------------------------------------------------------------------------

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  n: number;
}

export function percentiles(samples: number[]): Percentiles {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), n: s.length };
}

export const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');

/** Requests that failed inside timed loops (timed anyway: a failure is latency a client sees). */
export const failures = { count: 0, last: '' };

/** `fn`, counting a failure instead of ending the benchmark (e.g. DATABASE_UNAVAILABLE on an overloaded machine). */
export function counted(fn: () => Promise<unknown>): () => Promise<unknown> {
  return () =>
    fn().catch((err: unknown) => {
      failures.count++;
      failures.last = err instanceof Error ? err.message.slice(0, 200) : String(err);
    });
}

/** Times `fn` `iterations` times, one call at a time, after `warmup` untimed calls. Milliseconds. */
export async function timeSerial(fn: () => Promise<unknown>, iterations: number, warmup = 0): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

// ---- the app on a real HTTP port -------------------------------------------------------------

export interface BenchApp {
  deps: Deps;
  pool: Pool;
  app: FastifyInstance;
  url: string;
  apiKey: string;
  close(): Promise<void>;
}

/**
 * buildApp over the bench database, listening on 127.0.0.1, with a business key of `businessId`.
 * The rate limiter stays on (its SQL statement is part of every request) with a limit no run reaches,
 * unless `rateLimitPerMinute: 0` (a diagnostic: what the limiter's statement costs).
 */
export async function startBenchApp(businessId = LARGE_BUSINESS, options: { rateLimitPerMinute?: number } = {}): Promise<BenchApp> {
  const pool = createPool(BENCH_URL, 10, () => undefined);
  const deps = await createDeps({ url: BENCH_URL, pool }, quietLog);
  const app = await buildApp(deps, { logLevel: 'silent', publicBaseUrl: 'http://127.0.0.1', rateLimitPerMinute: options.rateLimitPerMinute ?? 1_000_000 });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const { key } = await createApiKey(deps, { name: 'bench', businessId });
  return {
    deps,
    pool,
    app,
    url: `${address}/graphql`,
    apiKey: key,
    async close() {
      await app.close();
      await deps.close();
      await pool.end();
    },
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

export interface GraphQLResult {
  data?: Record<string, any>;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** One GraphQL POST over a kept-alive HTTP connection (node:http: less client overhead than fetch). */
export function graphql(url: string, apiKey: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-api-key': apiKey } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQLResult);
        } catch (err) {
          reject(new Error(`GraphQL answered ${res.statusCode} with a body that is not JSON`, { cause: err }));
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One GET over the same kept-alive connections as graphql(); resolves with the status once the body is read. */
export function httpGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'GET', agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Like graphql(), but throws on GraphQL errors so a broken query never passes for a fast one. */
export async function graphqlOk(url: string, apiKey: string, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await graphql(url, apiKey, query, variables);
  if (res.errors?.length || !res.data) throw new Error(`GraphQL error: ${JSON.stringify(res.errors ?? res)}`);
  return res.data;
}

// ---- SQL capture and EXPLAIN -----------------------------------------------------------------

export interface CapturedQuery {
  text: string;
  values: unknown[];
}

/**
 * A stand-in pool that records the statements a src/db/sql function issues (and answers no rows),
 * so EXPLAIN runs on exactly the application's SQL rather than a copy of it.
 */
export function capturingPool(): { pool: Sql; captured: CapturedQuery[] } {
  const captured: CapturedQuery[] = [];
  const pool: Sql = {
    query: async (statement, values = []) => {
      captured.push({ text: typeof statement === 'string' ? statement : statement.text, values: [...values] });
      return [];
    },
    eventsWritten: () => undefined,
  };
  return { pool, captured };
}

/** EXPLAIN (ANALYZE, BUFFERS) of a captured statement, as text lines. */
export async function explain(client: pg.Pool | pg.Client, q: CapturedQuery): Promise<string[]> {
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values);
  return rows.map((r) => r['QUERY PLAN']);
}

/** The index names a plan uses (what the reports summarise). */
export function indexesUsed(plan: string[]): string[] {
  const names = new Set<string>();
  for (const line of plan) for (const m of line.matchAll(/(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\S+)/g)) names.add(m[1]!);
  return [...names];
}

export function printPlan(title: string, plan: string[]): void {
  console.log(`\n--- EXPLAIN (ANALYZE, BUFFERS): ${title}`);
  for (const line of plan) console.log(`    ${line}`);
  const exec = plan.find((l) => l.startsWith('Execution Time'));
  console.log(`    => indexes: ${indexesUsed(plan).join(', ') || 'none (sequential scan)'}; ${exec ?? ''}`);
}

export function rawPool(): pg.Pool {
  return new pg.Pool({ connectionString: BENCH_URL, max: 4, application_name: 'omega-bench-raw' });
}

// ---- where a request's time goes: statements of the app's pool -------------------------------

export interface SqlTally {
  statements: number;
  ms: number;
  byStatement: Map<string, { n: number; ms: number }>;
}

let probe: SqlTally | null = null;
let probeInstalled = false;

/**
 * Counts the statements (and their wall time) that connections named `omega` (the app's pool, see
 * src/db/pool.ts) run while `fn` runs. Installed once by wrapping pg.Client#query; off otherwise.
 */
export async function tallySql(fn: () => Promise<unknown>): Promise<SqlTally> {
  if (!probeInstalled) {
    probeInstalled = true;
    const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
    (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client & { connectionParameters?: { application_name?: string } }, ...args: unknown[]) {
      const tally = probe;
      if (!tally || this.connectionParameters?.application_name !== 'omega') return original.apply(this, args);
      const first = args[0];
      const text = typeof first === 'string' ? first : ((first as { text?: string })?.text ?? '?');
      const key = text.replace(/\s+/g, ' ').trim().slice(0, 90);
      const t0 = performance.now();
      const done = () => {
        const d = performance.now() - t0;
        tally.statements++;
        tally.ms += d;
        const e = tally.byStatement.get(key) ?? { n: 0, ms: 0 };
        e.n++;
        e.ms += d;
        tally.byStatement.set(key, e);
      };
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        args[args.length - 1] = (...cbArgs: unknown[]) => {
          done();
          return (last as (...a: unknown[]) => unknown)(...cbArgs);
        };
        return original.apply(this, args);
      }
      const out = original.apply(this, args);
      if (out && typeof (out as Promise<unknown>).then === 'function') (out as Promise<unknown>).then(done, done);
      return out;
    };
  }
  const tally: SqlTally = { statements: 0, ms: 0, byStatement: new Map() };
  probe = tally;
  try {
    await fn();
  } finally {
    probe = null;
  }
  return tally;
}
