import { Logger, runOnce } from 'graphile-worker';
import type { Deps } from '../../src/domain/deps.js';
import { taskList } from '../../src/worker/taskList.js';

const silent = new Logger(() => () => undefined);

/** Runs every job that is due now with the real task list, as the worker would, then returns. */
export async function runJobs(deps: Deps): Promise<void> {
  await runOnce({ pgPool: deps.pool, taskList: taskList(deps), logger: silent, noHandleSignals: true });
}

/** The graphile-worker jobs waiting, by task: what a commit queued. */
export async function queuedJobs(deps: Deps): Promise<{ task: string; key: string | null; attempts: number; last_error: string | null; run_at: Date }[]> {
  const { rows } = await deps.pool.query(
    `SELECT t.identifier AS task, j.key, j.attempts, j.last_error, j.run_at
       FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      ORDER BY j.id`,
  );
  return rows;
}
