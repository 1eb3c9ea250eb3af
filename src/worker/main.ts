// `npm run worker`: graphile-worker alone, for deployments that run workers apart from the API
// (set OMEGA_WORKER_IN_PROCESS=false on the API processes then).
import pino from 'pino';
import { loadConfigOrExit } from '../config.js';
import { createDeps } from '../createDeps.js';
import { openDatabase } from '../db/openDatabase.js';
import { exitWith } from '../exitWith.js';
import { startWorker } from './startWorker.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = pino({ level: config.logLevel });
  const db = await openDatabase(config, log);
  const deps = await createDeps(db, log, undefined, config);
  const worker = await startWorker(deps, { concurrency: config.workerConcurrency, deadAfterSeconds: config.workerDeadAfterSeconds, log });
  log.info({ concurrency: config.workerConcurrency }, 'worker running');
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker shutting down');
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
