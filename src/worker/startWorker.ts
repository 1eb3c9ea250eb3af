import { run, type Runner } from 'graphile-worker';
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
    concurrency: options.concurrency,
    noHandleSignals: true,
    pollInterval: 2_000,
    // Periodic jobs are declared in code; never read a crontab file from the working directory.
    crontab: CRONTAB,
  });
}
