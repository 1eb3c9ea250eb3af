// `npm run cluster`: the local twin of compose.yaml on this machine's PostgreSQL (and Redis): two
// gateways, two workers and nginx in front, every process's log prefixed with its name. Ctrl-C
// (or SIGTERM) stops them all.
//
//   npm run cluster -- [--database-url URL] [--redis-url URL | --no-redis] [--port 8080]
//                      [--gateway-ports 4001,4002] [--prod] [--fake-twilio] [--no-demo] [--quiet]
//
// DATABASE_URL (or --database-url) names the PostgreSQL server; without either, the database
// omega_cluster on postgresql://postgres@127.0.0.1:5432 is used (created when missing). REDIS_URL
// (or --redis-url) is optional: without it, PostgreSQL NOTIFY fans events out. Any other variable of
// README "Configuration" set in the environment reaches every process.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startCluster, type ClusterOptions } from './cluster/startCluster.js';
import { NGINX_MISSING, DEFAULT_NGINX } from './cluster/nginx.js';
import { existsSync } from 'node:fs';

const USAGE = `usage: npm run cluster -- [--database-url URL] [--redis-url URL | --no-redis] [--port N]
                          [--gateway-ports N,N] [--prod] [--fake-twilio] [--no-demo] [--quiet]`;
const DEFAULT_DATABASE = 'postgresql://postgres@127.0.0.1:5432/omega_cluster';

/** Creates the URL's database when it does not exist (connecting to the server's postgres database). */
async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error(`DATABASE_URL names no database: ${url}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      console.log(`cluster | created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        'database-url': { type: 'string' },
        'redis-url': { type: 'string' },
        'no-redis': { type: 'boolean', default: false },
        port: { type: 'string' },
        'gateway-ports': { type: 'string' },
        prod: { type: 'boolean', default: false },
        'fake-twilio': { type: 'boolean', default: false },
        'no-demo': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (!existsSync(DEFAULT_NGINX)) {
    console.error(NGINX_MISSING(DEFAULT_NGINX));
    return 2;
  }
  const port = (raw: string | undefined, what: string): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${what} must be a port (1-65535), got ${JSON.stringify(raw)}`);
    return n;
  };
  let proxyPort: number | undefined;
  let gatewayPorts: [number, number] | undefined;
  try {
    proxyPort = port(args.port, '--port') ?? 8080;
    if (args['gateway-ports'] !== undefined) {
      const [a, b, ...rest] = args['gateway-ports'].split(',');
      if (rest.length || !a || !b) throw new Error('--gateway-ports takes two ports, e.g. 4001,4002');
      gatewayPorts = [port(a, '--gateway-ports')!, port(b, '--gateway-ports')!];
    }
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }

  const databaseUrl = args['database-url'] ?? process.env['DATABASE_URL'] ?? DEFAULT_DATABASE;
  const redisUrl = args['no-redis'] ? undefined : (args['redis-url'] ?? process.env['REDIS_URL']);
  try {
    await ensureDatabase(databaseUrl);
  } catch (err) {
    console.error(`cluster | PostgreSQL at ${databaseUrl.replace(/\/\/[^@/]*@/, '//…@')} is not usable: ${(err as Error).message}`);
    return 1;
  }

  let fake: { url: string; accountSid: string; authToken: string; close(): Promise<void> } | undefined;
  if (args['fake-twilio']) {
    // The test helper's fake Twilio (a dev tool: only with the repository's dev dependencies).
    const { startFakeTwilio } = await import('../test/helpers/fakeTwilio.js');
    fake = await startFakeTwilio({ postStatusCallbacks: true, deliverAfterMs: 1_000, recordRequests: false });
    console.log(`cluster | fake Twilio at ${fake.url} (account ${fake.accountSid})`);
  }

  const options: ClusterOptions = {
    databaseUrl,
    ...(redisUrl ? { redisUrl } : {}),
    proxyPort,
    ...(gatewayPorts ? { gatewayPorts } : {}),
    prod: args.prod,
    seedDemo: !args['no-demo'],
    ...(fake ? { twilio: { url: fake.url, accountSid: fake.accountSid, authToken: fake.authToken } } : {}),
    ...(args.quiet ? {} : { onLine: (name: string, line: string) => console.log(`${name.padEnd(5)} | ${line}`) }),
  };
  console.log(`cluster | starting 2 gateways, 2 workers and nginx on ${redisUrl ? 'Redis' : 'PostgreSQL NOTIFY'}${args.prod ? ' (the build, dist/)' : ''}`);
  let cluster;
  try {
    cluster = await startCluster(options);
  } catch (err) {
    console.error(`cluster | could not start: ${(err as Error).message}`);
    await fake?.close();
    return 1;
  }
  const lines = [
    '',
    `Omega cluster is running behind nginx at ${cluster.proxyUrl}`,
    `  Inbox / GraphQL      ${cluster.proxyUrl}/inbox   ${cluster.proxyUrl}/graphql   (subscriptions: ${cluster.wsUrl})`,
    `  Gateways             ${cluster.gatewayUrls.join('  ')}   (pids ${cluster.gateways.map((g) => g.child.pid).join(', ')})`,
    `  Workers              pids ${cluster.workers.map((w) => w.child.pid).join(', ')}`,
    ...(cluster.demo
      ? [
          `  Demo business        id "${cluster.demo.businessId}", API key ${cluster.demo.apiKey}`,
          `  Try it               curl -H 'X-API-KEY: ${cluster.demo.apiKey}' ${cluster.proxyUrl}/businesses/${cluster.demo.businessId}/locations`,
        ]
      : []),
    '  Ctrl-C stops everything.',
    '',
  ];
  console.log(lines.join('\n'));

  // Any process of the cluster that exits on its own stops the rest (and this script, with 1).
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (code: number, why: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`cluster | ${why}: stopping every process`);
      await cluster.stop();
      await fake?.close();
      resolve(code);
    };
    process.on('SIGINT', () => void stop(0, 'SIGINT'));
    process.on('SIGTERM', () => void stop(0, 'SIGTERM'));
    for (const p of [...cluster.gateways, ...cluster.workers, cluster.nginx]) {
      void p.exited.then((how) => stop(1, `${p.name} exited (${how})`));
    }
  });
  return stopped;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`cluster | ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
