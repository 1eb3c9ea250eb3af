// Composition root for `npm start`: config, database (embedded when DATABASE_URL is unset),
// migrations, demo data, HTTP server, in-process worker, and the one shutdown path.
import { join } from 'node:path';
import pino from 'pino';
import { loadConfigOrExit } from './config.js';
import { exitWith } from './exitWith.js';
import { loggerOptions } from './observability/logRedaction.js';
import { startTracing } from './observability/startTracing.js';

// Tracing first (only with OTEL_EXPORTER_OTLP_ENDPOINT): it hooks the loading of what it traces
// (pg, http, graphql), so everything else, the database module included, is imported after it.
const config = loadConfigOrExit();
const tracing = await startTracing(config, 'omega');

// The HTTP app, GraphQL schema and worker are loaded while the database starts: module loading is
// CPU on this thread, starting PostgreSQL is waiting on another process, so the two overlap.
const loading = Promise.all([
  import('./app.js'),
  import('./graphql/graphiql.js'),
  import('./createDeps.js'),
  import('./demoApiKey.js'),
  import('./domain/auth/ensureServiceApiKey.js'),
  import('./domain/businesses/seedDemoBusiness.js'),
  import('./worker/startWorker.js'),
  import('./http/metricsServer.js'),
]);

async function main(): Promise<void> {
  const started = performance.now();
  const log = pino(loggerOptions(config.logLevel));
  if (!config.databaseUrl) log.info({ dataDir: config.embeddedPg.dataDir, port: config.embeddedPg.port }, 'DATABASE_URL not set: using the embedded PostgreSQL');
  const { openDatabase } = await import('./db/openDatabase.js');
  const db = await openDatabase(config, log);
  const [{ buildApp }, { demoGraphiQL }, { createDeps }, { demoApiKey }, { ensureServiceApiKey }, { DEMO_BUSINESS_ID, seedDemoBusiness }, { startWorker }, { startMetricsServer }] = await loading;
  if (db.migrations.applied.length) log.info({ applied: db.migrations.applied }, 'migrations applied');
  const deps = await createDeps(db, log, undefined, { ...config, tracer: tracing?.tracer });

  if (config.serviceApiKey) {
    const { created } = await ensureServiceApiKey(deps, config.serviceApiKey);
    log.info({ created }, 'service API key from OMEGA_SERVICE_API_KEY is active');
  }
  let demoKey: string | undefined;
  if (config.seedDemo) {
    if (await seedDemoBusiness(deps)) log.info({ businessId: DEMO_BUSINESS_ID }, 'demo business created');
    demoKey = await demoApiKey(deps, join(config.embeddedPg.dataDir, '..', 'demo-api-key'));
  }

  const app = await buildApp(deps, {
    logLevel: config.logLevel,
    publicBaseUrl: config.publicBaseUrl,
    rateLimitPerMinute: config.rateLimitPerMinute,
    graphqlMaxDepth: config.graphqlMaxDepth,
    graphqlMaxCost: config.graphqlMaxCost,
    graphqlMaxAliases: config.graphqlMaxAliases,
    graphqlMaxTokens: config.graphqlMaxTokens,
    graphqlMaxDirectives: config.graphqlMaxDirectives,
    corsOrigins: config.corsOrigins,
    trustProxy: config.trustProxy,
    metricsToken: config.metricsEndpoint.token,
    ...(demoKey && config.graphiqlDemoKey ? { graphiqlDemo: demoGraphiQL(DEMO_BUSINESS_ID, demoKey), demoSignIn: true } : {}),
  });
  const worker = config.workerInProcess ? await startWorker(deps, { concurrency: config.workerConcurrency, deadAfterSeconds: config.workerDeadAfterSeconds, log }) : null;
  await app.listen({ port: config.port, host: config.host });
  const { port: metricsPort, host: metricsHost, token: metricsToken } = config.metricsEndpoint;
  const metricsServer = metricsPort === undefined ? null : await startMetricsServer({ host: metricsHost, port: metricsPort, token: metricsToken, metrics: deps.metrics, readiness: deps.readiness });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  const urls = { inbox: `${base}/inbox`, graphql: `${base}/graphql`, subscriptions: `ws://${base.slice(7)}/graphql`, docs: `${base}/docs`, openapi: `${base}/openapi.json`, health: `${base}/health` };
  // Every line Omega prints is JSON (pino, LOG_LEVEL); on a terminal, the same news for a person too.
  log.info(
    {
      startedMs: Math.round(performance.now() - started),
      urls,
      database: config.databaseUrl ? 'DATABASE_URL' : 'embedded',
      workerInProcess: worker !== null,
      providers: { twilio: config.twilio ? 'live' : 'sandbox', resend: config.resend ? 'live' : 'sandbox' },
      ...(demoKey ? { demo: { businessId: DEMO_BUSINESS_ID, apiKey: demoKey } } : {}),
    },
    'Omega is running',
  );
  if (process.stdout.isTTY) {
    const lines = [
      '',
      `Omega is running (started in ${Math.round(performance.now() - started)} ms)`,
      `  Inbox                ${urls.inbox}`,
      `  GraphQL + GraphiQL   ${urls.graphql}   (subscriptions: ${urls.subscriptions})`,
      `  REST docs            ${urls.docs}      (OpenAPI: ${urls.openapi})`,
      `  Health               ${urls.health}    ${base}/health/db`,
      `  Database             ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL on port ${config.embeddedPg.port} (${config.embeddedPg.dataDir})`}`,
      `  Worker               ${worker ? 'in process' : 'not in this process (npm run worker)'}`,
      `  Providers            Twilio: ${config.twilio ? 'live' : 'sandbox'}, Resend: ${config.resend ? 'live' : 'sandbox'}`,
    ];
    if (demoKey) {
      lines.push(`  Demo business        id "${DEMO_BUSINESS_ID}", API key ${demoKey}`);
      lines.push(`  Try it               curl -H 'X-API-KEY: ${demoKey}' ${base}/businesses/${DEMO_BUSINESS_ID}/locations`);
    }
    console.log(lines.join('\n') + '\n');
  }

  // A graceful stop (SIGTERM from an orchestrator, a rolling restart): app.close() closes every
  // graphql-ws socket with 1012 "Service Restart" (clients reconnect through the proxy, to another
  // gateway, and resume from their cursor), stops accepting connections, closes idle ones and waits
  // for requests in flight to be answered; then the in-process worker finishes or releases its jobs.
  // All of it within 15 s, else the process exits with 1.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // /health/ready answers 503 draining from now on, so a balancer that polls it stops sending here.
    deps.readiness.setDraining();
    const force = setTimeout(() => {
      log.error('shutdown took longer than 15 s; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      await app.close();
      log.info('HTTP server closed: requests in flight answered, subscriptions closed');
      await worker?.stop();
      await deps.close();
      await db.close();
      await metricsServer?.close();
      await tracing?.shutdown();
    } catch (err) {
      log.error({ err }, 'error during shutdown');
      process.exitCode = 1;
    }
    clearTimeout(force);
    process.exit();
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => exitWith(`Omega could not start: ${err instanceof Error ? err.message : String(err)}`, err));
