// The one way tests run graphile-worker jobs in their own process: runOnce over the real task list,
// as a worker would, or the real worker while a test waits; and the queue read back as the worker
// left it. (A worker in a process of its own: workerProcess.ts.)
import { Logger, runOnce } from 'graphile-worker';
import type { Pool } from '../../src/db/pool.js';
import type { Deps } from '../../src/domain/deps.js';
import { startWorker, type WorkerHandle, type WorkerOptions } from '../../src/worker/startWorker.js';
import { taskList } from '../../src/worker/taskList.js';
import { waitFor } from './waitFor.js';

export const silentLogger = new Logger(() => () => undefined);

/**
 * Runs every job due now on `deps.pool` with the task list over `deps` (only the tasks named in
 * `only`, when given), until none is due, and returns once graphile-worker has recorded each
 * outcome.
 */
export async function runJobs(deps: Deps, options: { only?: string[] } = {}): Promise<void> {
  const tasks = taskList(deps);
  const chosen = options.only ? Object.fromEntries(options.only.map((name) => [name, tasks[name]!])) : tasks;
  const lockedBefore = await lockedJobs(deps.pool);
  await runOnce({ pgPool: deps.pool, taskList: chosen, noHandleSignals: true, logger: silentLogger });
  // graphile-worker 0.17 records a job's completion or failure without awaiting it: wait until no
  // job is locked but those another worker held before, so the test reads the queue as the worker
  // left it.
  await waitFor('graphile-worker to record the outcome of the jobs it ran', async () => (await lockedJobs(deps.pool)).every((id) => lockedBefore.includes(id)));
}

/** The real worker (startWorker, as `npm run worker` runs it) over `deps` while `fn` runs; stopped after, whatever happens. */
export async function withWorker<T>(deps: Deps, options: WorkerOptions, fn: (worker: WorkerHandle) => Promise<T>): Promise<T> {
  const worker = await startWorker(deps, options);
  try {
    return await fn(worker);
  } finally {
    await worker.stop();
  }
}

async function lockedJobs(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(`SELECT id::text FROM graphile_worker._private_jobs WHERE locked_at IS NOT NULL`);
  return rows.map((r) => r.id);
}

/** The jobs waiting, oldest first, with their task's identifier. */
export async function queuedJobs(
  pool: Pool,
): Promise<{ task_identifier: string; key: string | null; run_at: Date; attempts: number; max_attempts: number; payload: any; last_error: string | null }[]> {
  const { rows } = await pool.query(`SELECT t.identifier AS task_identifier, j.key, j.run_at, j.attempts, j.max_attempts, j.payload, j.last_error
       FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id ORDER BY j.id`);
  return rows;
}

/** Makes every pending job due now (backoff and schedules are database times). */
export async function makeJobsDue(pool: Pool): Promise<void> {
  await pool.query(`UPDATE graphile_worker._private_jobs SET run_at = now() - interval '1 second' WHERE locked_at IS NULL`);
}
