// `npm run worker`: graphile-worker alone, for deployments that run workers apart from the API
// (set OMEGA_WORKER_IN_PROCESS=false on the API processes then).
import pino from 'pino';
import { loadConfigOrExit } from '../config.js';
import { exitWith } from '../exitWith.js';
import { loggerOptions } from '../observability/logRedaction.js';
import { startTracing } from '../observability/startTracing.js';

// Tracing first (only with OTEL_EXPORTER_OTLP_ENDPOINT): it hooks the loading of what it traces
// (pg, http, undici), so everything else is imported after it.
const config = loadConfigOrExit();
const tracing = await startTracing(config, 'omega-worker');

async function main(): Promise<void> {
  const [{ createDeps }, { openDatabase }, { startMetricsServer }, { startWorker }] = await Promise.all([
    import('../createDeps.js'),
    import('../db/openDatabase.js'),
    import('../http/metricsServer.js'),
    import('./startWorker.js'),
  ]);
  const log = pino(loggerOptions(config.logLevel));
  const db = await openDatabase(config, log);
  const deps = await createDeps(db, log, undefined, { ...config, tracer: tracing?.tracer });
  const worker = await startWorker(deps, { concurrency: config.workerConcurrency, deadAfterSeconds: config.workerDeadAfterSeconds, log });
  // Its metrics and readiness (heartbeat included) on OMEGA_METRICS_PORT: a worker has no other HTTP server.
  const { port: metricsPort, host: metricsHost, token: metricsToken } = config.metricsEndpoint;
  const metricsServer = metricsPort === undefined ? null : await startMetricsServer({ host: metricsHost, port: metricsPort, token: metricsToken, metrics: deps.metrics, readiness: deps.readiness });
  log.info({ concurrency: config.workerConcurrency, metricsPort: metricsServer?.port ?? null }, 'worker running');
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker shutting down');
    // Not ready from now on (its metrics port's /health/ready answers 503 draining).
    deps.readiness.setDraining();
    // graphile-worker's graceful stop: no new jobs; running ones get its grace period to finish,
    // then are failed back to the queue (retried, not lost); heartbeats removed. Bounded like the gateway's.
    const force = setTimeout(() => {
      log.error('worker shutdown took longer than 15 s; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      await worker.stop();
      await deps.close();
      await db.close();
      await metricsServer?.close();
      // Spans still buffered are sent before the process ends.
      await tracing?.shutdown();
    } catch (err) {
      log.error({ err }, 'error during worker shutdown');
      process.exitCode = 1;
    }
    clearTimeout(force);
    process.exit();
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await worker.promise;
}

main().catch((err) => exitWith(`Omega could not start: ${err instanceof Error ? err.message : String(err)}`, err));
