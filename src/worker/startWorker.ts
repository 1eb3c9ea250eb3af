import { run, type RunnerOptions, type Runner } from 'graphile-worker';
import type { Deps } from '../domain/deps.js';
import { CRONTAB, taskList } from './taskList.js';

export interface WorkerOptions {
  concurrency: number;
}

/** graphile-worker on the shared pool; signals are ours (main.ts), so its own handling is off. */
export function startWorker(deps: Deps, options: WorkerOptions): Promise<Runner> {
  return run({
    pgPool: deps.pool,
    taskList: taskList(deps),
    ...workerSettings(options),
    noHandleSignals: true,
    // Periodic jobs are declared in code; never read a crontab file from the working directory.
    crontab: CRONTAB,
  });
}

/**
 * How the worker takes and finishes jobs (the drain benchmark runs its no-op baseline with the
 * same settings). Completions and failures of jobs that finish in the same tick are written in one
 * statement each (no added wait). No local queue: jobs fetched ahead would be locked to this
 * process, and after a crash stay locked like running ones until graphile-worker's 4-hour expiry,
 * delaying sends that never started.
 */
export function workerSettings(options: WorkerOptions): Pick<RunnerOptions, 'concurrency' | 'pollInterval' | 'preset'> {
  return {
    concurrency: options.concurrency,
    pollInterval: 2_000,
    preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
  };
}
