// The local twin of compose.yaml: two gateway processes (src/main.ts, OMEGA_WORKER_IN_PROCESS=false)
// and two worker processes (src/worker/main.ts) on one PostgreSQL (and Redis when given), with nginx
// in front (deploy/nginx.conf.template), every one a child process of the caller. `npm run cluster`
// (scripts/cluster.ts) and the scale-out tests (test/cluster) start it with startCluster().
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_NGINX, NGINX_MISSING, reloadNginx, writeNginxConfig, writeUpstreams } from './nginx.js';
import { spawnProcess, type ClusterProcess } from './processes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEMPLATE = join(ROOT, 'deploy', 'nginx.conf.template');

/** A Twilio API (the fake Twilio in tests and demos) and the account the processes use there. */
export interface TwilioTarget {
  url: string;
  accountSid: string;
  authToken: string;
}

export interface ClusterOptions {
  databaseUrl: string;
  /** Event fan-out and the rate limiter through Redis; without it, PostgreSQL NOTIFY. */
  redisUrl?: string;
  /** nginx's port (default: a free one). */
  proxyPort?: number;
  /** The two gateways' ports (default: free ones); fixed for the cluster's life, as nginx names them. */
  gatewayPorts?: [number, number];
  /** Run the build (`node dist/main.js`, `node dist/worker/main.js`) instead of the sources through tsx. */
  prod?: boolean;
  /** The environment the processes start from (default: this process's); the cluster's own settings override it. */
  baseEnv?: NodeJS.ProcessEnv;
  /** Added to every process's environment (e.g. OMEGA_RATE_LIMIT_PER_MINUTE). */
  env?: Record<string, string>;
  /** Added to the gateways' environment only. */
  gatewayEnv?: Record<string, string>;
  /** Added to the workers' environment only. */
  workerEnv?: Record<string, string>;
  /** Where workers (and gateways, for status callbacks and provisioning) reach Twilio; per worker (0, 1) when a function. Default: the sandbox. */
  twilio?: TwilioTarget | ((worker: number) => TwilioTarget);
  /** Seeds the demo business through the first gateway only (OMEGA_SEED_DEMO=true there) and reports its key. */
  seedDemo?: boolean;
  /** LOG_LEVEL of every process (default info; readiness of a worker is read from its "worker running" line). */
  logLevel?: string;
  /** Every line a process prints, with its name (g1, g2, w1, w2, nginx). Default: kept only (output()). */
  onLine?: (name: string, line: string) => void;
  /** Bound on each wait for readiness (default 60 s). */
  readyTimeoutMs?: number;
  nginxPath?: string;
}

export interface Cluster {
  /** nginx: http://127.0.0.1:<port>. */
  proxyUrl: string;
  /** graphql-ws through nginx: ws://127.0.0.1:<port>/graphql. */
  wsUrl: string;
  /** Each gateway directly (bypassing nginx). */
  gatewayUrls: [string, string];
  /** The demo business (seedDemo). */
  demo: { businessId: string; apiKey: string } | null;
  /** The running (or last) process of each role; replaced by startGateway / startWorker. */
  gateways: [ClusterProcess, ClusterProcess];
  workers: [ClusterProcess, ClusterProcess];
  nginx: ClusterProcess;
  /** The cluster's directory (nginx's files, the demo key). */
  dir: string;
  /** Stops gateway i (0 or 1) with `signal` (SIGTERM: a graceful stop) and answers how it exited. */
  stopGateway(i: number, signal?: NodeJS.Signals): Promise<number | string>;
  /**
   * Takes gateway i out of nginx's upstreams (marked `down`, nginx reloaded): new requests and
   * websockets go to the other one; what it already serves goes on.
   */
  drainGateway(i: number): Promise<void>;
  /** Puts gateway i back into nginx's upstreams (reload). */
  undrainGateway(i: number): Promise<void>;
  /**
   * A rolling restart's step: drain gateway i from nginx, SIGTERM it (it finishes requests in flight
   * and closes its websockets with 1012), start it again, wait for its /health, put it back.
   */
  restartGateway(i: number): Promise<void>;
  /** Starts gateway i again (after it stopped) and waits until its /health answers. */
  startGateway(i: number): Promise<ClusterProcess>;
  /** Starts worker i again (after it stopped or was killed) and waits until it runs. */
  startWorker(i: number): Promise<ClusterProcess>;
  /** Every process's last lines, for a failure's message. */
  output(): string;
  /** Stops everything (SIGTERM, then SIGKILL after a bound) and removes the cluster's directory. */
  stop(): Promise<void>;
}

/** A port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200, the process exits, or `timeoutMs` passes. */
async function waitHealthy(url: string, timeoutMs: number, alive: () => boolean, context: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) throw new Error(`process exited before ${url} answered\n${context()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${url}\n${context()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves with the first JSON log line for which `pick` answers something; bounded. */
function waitForLine<T>(proc: ClusterProcess, pick: (line: Record<string, unknown>) => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    let partial = '';
    const onData = (chunk: Buffer) => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        if (!line.startsWith('{')) continue;
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        const found = pick(parsed);
        if (found !== undefined) {
          done();
          resolve(found);
          return;
        }
      }
    };
    const onExit = () => {
      done();
      reject(new Error(`${proc.name} exited before ${what}\n${proc.output()}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}\n${proc.output()}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      proc.child.stdout!.off('data', onData);
      proc.child.off('exit', onExit);
    };
    proc.child.stdout!.on('data', onData);
    proc.child.once('exit', onExit);
  });
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const nginxPath = options.nginxPath ?? DEFAULT_NGINX;
  if (!existsSync(nginxPath)) throw new Error(NGINX_MISSING(nginxPath));
  const entry = options.prod ? { gateway: ['dist/main.js'], worker: ['dist/worker/main.js'] } : { gateway: ['--import', 'tsx', 'src/main.ts'], worker: ['--import', 'tsx', 'src/worker/main.ts'] };
  if (options.prod) {
    for (const file of [entry.gateway[0]!, entry.worker[0]!]) {
      if (!existsSync(join(ROOT, file))) throw new Error(`--prod runs the build, and ${file} is missing: run npm run build first`);
    }
  }
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const dir = await mkdtemp(join(tmpdir(), 'omega-cluster-'));
  const proxyPort = options.proxyPort || (await freePort());
  const gatewayPorts = options.gatewayPorts ?? [await freePort(), await freePort()];
  const proxyUrl = `http://127.0.0.1:${proxyPort}`;
  const gatewayUrls: [string, string] = [`http://127.0.0.1:${gatewayPorts[0]}`, `http://127.0.0.1:${gatewayPorts[1]}`];
  const twilioFor = (i: number): TwilioTarget | undefined => (typeof options.twilio === 'function' ? options.twilio(i) : options.twilio);
  const twilioEnv = (t: TwilioTarget | undefined): Record<string, string> => (t ? { TWILIO_ACCOUNT_SID: t.accountSid, TWILIO_AUTH_TOKEN: t.authToken, OMEGA_TWILIO_API_BASE_URL: t.url } : {});

  const common = (): NodeJS.ProcessEnv => ({
    ...(options.baseEnv ?? process.env),
    DATABASE_URL: options.databaseUrl,
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    LOG_LEVEL: options.logLevel ?? 'info',
    // Links Omega writes (status callbacks, sign-in links) name the proxy, as in a deployment.
    PUBLIC_BASE_URL: proxyUrl,
    // The embedded PostgreSQL is never used (DATABASE_URL); its directory's parent keeps the demo key file.
    OMEGA_EMBEDDED_PG_DIR: join(dir, 'data', 'postgres'),
    ...options.env,
  });

  const onLine = options.onLine;
  const spawnGateway = (i: number) =>
    spawnProcess(`g${i + 1}`, process.execPath, entry.gateway, {
      cwd: ROOT,
      ...(onLine ? { onLine } : {}),
      env: withoutRedis(
        {
          ...common(),
          ...twilioEnv(twilioFor(0)),
          HOST: '127.0.0.1',
          PORT: String(gatewayPorts[i]),
          OMEGA_WORKER_IN_PROCESS: 'false',
          // Behind nginx every client's address is nginx's (loopback): trust its X-Forwarded-For.
          OMEGA_TRUST_PROXY: 'loopback',
          OMEGA_SEED_DEMO: options.seedDemo && i === 0 ? 'true' : 'false',
          ...options.gatewayEnv,
        },
        options.redisUrl,
      ),
    });
  const spawnWorker = (i: number) =>
    spawnProcess(`w${i + 1}`, process.execPath, entry.worker, {
      cwd: ROOT,
      ...(onLine ? { onLine } : {}),
      env: withoutRedis({ ...common(), ...twilioEnv(twilioFor(i)), ...options.workerEnv }, options.redisUrl),
    });

  const gateways: ClusterProcess[] = [];
  const workers: ClusterProcess[] = [];
  let nginx: ClusterProcess | undefined;
  const all = () => [...gateways, ...workers, ...(nginx ? [nginx] : [])];
  const output = () => {
    const lines = all().map((p) => p.output());
    // nginx writes its errors (an upstream refused, timed out, reset) to its log file, not to stderr.
    const log = join(dir, 'error.log');
    if (existsSync(log))
      lines.push(
        ...readFileSync(log, 'utf8')
          .trimEnd()
          .split('\n')
          .slice(-30)
          .map((l) => `nginx error.log | ${l}`),
      );
    return lines.join('\n');
  };

  const gatewayReady = async (i: number) => {
    const g = gateways[i]!;
    const running = options.seedDemo && i === 0 ? waitForLine(g, (l) => (l['msg'] === 'Omega is running' ? l : undefined), timeoutMs, 'g1 running') : null;
    running?.catch(() => undefined);
    await waitHealthy(`${gatewayUrls[i]}/health`, timeoutMs, g.running, () => g.output());
    return running ? await running : null;
  };
  const workerReady = (i: number) => waitForLine(workers[i]!, (l) => (l['msg'] === 'worker running' ? true : undefined), timeoutMs, `w${i + 1} running`);

  const stopAll = async () => {
    await Promise.all(all().map((p) => p.stop('SIGTERM', 20_000)));
    await rm(dir, { recursive: true, force: true });
  };

  const upstreams = { proxyPort, gateways: [`127.0.0.1:${gatewayPorts[0]}`, `127.0.0.1:${gatewayPorts[1]}`] as [string, string] };
  const drained = new Set<number>();
  const applyUpstreams = async () => {
    await writeUpstreams(
      dir,
      TEMPLATE,
      upstreams,
      [...drained].map((i) => upstreams.gateways[i]!),
    );
    await reloadNginx(nginx!.child.pid!);
  };

  let demo: Cluster['demo'] = null;
  try {
    // All four at once on the same database: each runs the migrations under an advisory lock.
    for (const i of [0, 1]) gateways.push(spawnGateway(i));
    for (const i of [0, 1]) workers.push(spawnWorker(i));
    const [g1] = await Promise.all([gatewayReady(0), gatewayReady(1), workerReady(0), workerReady(1)]);
    const seeded = (g1 as { demo?: { businessId: string; apiKey: string } } | null)?.demo;
    if (seeded) demo = { businessId: seeded.businessId, apiKey: seeded.apiKey };

    const nginxArgs = await writeNginxConfig(dir, TEMPLATE, upstreams);
    nginx = spawnProcess('nginx', nginxPath, nginxArgs, { cwd: dir, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' }, ...(onLine ? { onLine } : {}) });
    const n = nginx;
    await waitHealthy(`${proxyUrl}/health`, timeoutMs, n.running, () => `${n.output()}\n(nginx error log: ${join(dir, 'error.log')})`);
  } catch (err) {
    await stopAll();
    throw err;
  }

  const cluster: Cluster = {
    proxyUrl,
    wsUrl: `ws://127.0.0.1:${proxyPort}/graphql`,
    gatewayUrls,
    demo,
    gateways: gateways as [ClusterProcess, ClusterProcess],
    workers: workers as [ClusterProcess, ClusterProcess],
    nginx: nginx!,
    dir,
    stopGateway: (i, signal = 'SIGTERM') => gateways[i]!.stop(signal),
    async drainGateway(i) {
      drained.add(i);
      await applyUpstreams();
    },
    async undrainGateway(i) {
      drained.delete(i);
      await applyUpstreams();
    },
    async restartGateway(i) {
      await cluster.drainGateway(i);
      const how = await gateways[i]!.stop('SIGTERM');
      if (how !== 0) throw new Error(`g${i + 1} did not stop cleanly (${how})\n${gateways[i]!.output()}`);
      await cluster.startGateway(i);
      await cluster.undrainGateway(i);
    },
    async startGateway(i) {
      if (gateways[i]!.running()) throw new Error(`g${i + 1} is still running`);
      gateways[i] = spawnGateway(i);
      await gatewayReady(i);
      return gateways[i]!;
    },
    async startWorker(i) {
      if (workers[i]!.running()) throw new Error(`w${i + 1} is still running`);
      workers[i] = spawnWorker(i);
      await workerReady(i);
      return workers[i]!;
    },
    output,
    stop: stopAll,
  };
  return cluster;
}

/** Without a Redis URL of the cluster's own, none inherited either: NOTIFY, as asked. */
function withoutRedis(env: NodeJS.ProcessEnv, redisUrl: string | undefined): NodeJS.ProcessEnv {
  if (redisUrl) return env;
  const { REDIS_URL: _dropped, ...rest } = env;
  void _dropped;
  return rest;
}
