import type { Sql } from '../sqlHandle.js';

export interface JobQueueRow {
  task: string;
  runnable: number;
  locked: number;
  scheduled: number;
  oldest_runnable_age_seconds: number;
}

/**
 * graphile-worker's queue per task in one statement (the /metrics scrape): jobs due and unlocked
 * (runnable), locked by a worker, or due later (scheduled: delays and retries backing off), and
 * how long the oldest runnable one has been due. Jobs out of attempts (permanently failed, kept
 * by graphile-worker) are not counted. Reads graphile-worker 0.17's own tables (_private_jobs,
 * _private_tasks): its `jobs` view formats every row, more work than counting needs. A job in a
 * locked named queue counts as runnable (its queue's lock is not read: that costs a join).
 */
export async function selectJobQueueStats(sql: Sql): Promise<JobQueueRow[]> {
  return sql.query<JobQueueRow>(
    `SELECT t.identifier AS task,
            count(*) FILTER (WHERE j.locked_at IS NULL AND j.run_at <= now())::int AS runnable,
            count(*) FILTER (WHERE j.locked_at IS NOT NULL)::int AS locked,
            count(*) FILTER (WHERE j.locked_at IS NULL AND j.run_at > now())::int AS scheduled,
            coalesce(extract(epoch FROM now() - min(j.run_at) FILTER (WHERE j.locked_at IS NULL AND j.run_at <= now())), 0)::float8 AS oldest_runnable_age_seconds
       FROM graphile_worker._private_jobs j
       JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE j.attempts < j.max_attempts
      GROUP BY t.identifier`,
  );
}
