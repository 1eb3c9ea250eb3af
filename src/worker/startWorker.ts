import { run, type RunnerOptions, type Runner } from 'graphile-worker';
import type { Logger as PinoLogger } from 'pino';
import { graphileWorkerLogger } from '../db/graphileWorkerLogger.js';
import type { Deps } from '../domain/deps.js';
import { observeJobs } from '../observability/observeJobs.js';
import { CRONTAB, taskList } from './taskList.js';
import { startWebhookDispatcher } from './startWebhookDispatcher.js';
import { trackWorkerLiveness } from './trackWorkerLiveness.js';

export interface WorkerOptions {
  concurrency: number;
  /** OMEGA_WORKER_DEAD_AFTER_SECONDS: a worker silent this long is dead and its jobs run again. */
  deadAfterSeconds: number;
  /** The process's pino logger: graphile-worker's own lines go through it too (graphileWorkerLogger), as JSON at its level. */
  log: PinoLogger;
}

/** The running worker: stop() ends it cleanly (jobs finish or are released, heartbeats removed). */
export type WorkerHandle = Pick<Runner, 'stop' | 'promise'>;

/**
 * graphile-worker on the shared pool; signals are ours (main.ts), so its own handling is off. It
 * beats in worker_heartbeats six times per dead-after period (trackWorkerLiveness).
 */
export async function startWorker(deps: Deps, options: WorkerOptions): Promise<WorkerHandle> {
  const liveness = trackWorkerLiveness(deps.sql, options.deadAfterSeconds, options.log);
  // Job durations, failures and the queue's depth (/metrics); readiness follows the heartbeats.
  const unobserve = observeJobs(deps.metrics, liveness.events, deps.sql);
  deps.readiness.watchWorker(liveness.workerIds);
  const runner = await run({
    pgPool: deps.pool,
    taskList: taskList(deps),
    ...workerSettings(options),
    noHandleSignals: true,
    events: liveness.events,
    logger: graphileWorkerLogger(options.log),
    // Periodic jobs are declared in code; never read a crontab file from the working directory.
    crontab: CRONTAB,
  });
  // Outbound webhooks: queues deliveries from the event log as events commit (after their commit, never in it).
  const dispatcher = startWebhookDispatcher(deps, { log: options.log });
  return {
    promise: runner.promise,
    async stop() {
      await dispatcher.stop();
      await runner.stop();
      await liveness.stop();
      unobserve();
    },
  };
}

/**
 * How the worker takes and finishes jobs (the drain benchmark runs its no-op baseline with the
 * same settings). Completions and failures of jobs that finish in the same tick are written in one
 * statement each (no added wait). No local queue: jobs fetched ahead would be locked to this
 * process, and after a crash stay locked like running ones until release_dead_workers frees them,
 * delaying sends that never started.
 */
export function workerSettings(options: Pick<WorkerOptions, 'concurrency'>): Pick<RunnerOptions, 'concurrency' | 'pollInterval' | 'preset'> {
  return {
    concurrency: options.concurrency,
    pollInterval: 2_000,
    preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
  };
}
