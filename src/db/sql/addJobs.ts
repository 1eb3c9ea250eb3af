import type { Sql } from '../sqlHandle.js';

export interface JobSpec {
  task: string;
  payload: Record<string, unknown>;
  /** `<task>:<id>`: a job with the same key is replaced, never doubled. */
  jobKey: string;
  runAt: Date | null;
  maxAttempts: number;
  /** graphile-worker priority: lower runs first (0: one-to-one sends, 1: bulk; default 0). */
  priority?: number;
}

/**
 * Enqueues many graphile-worker jobs in one statement, inside the caller's transaction: they exist
 * if and only if the transaction commits. omega_add_jobs_quiet (migration 20261206020000) is
 * graphile_worker.add_jobs without its pg_notify: a NOTIFY in the request's commit serialised every
 * sender's commit behind the previous one's WAL flush. The handle is told how many jobs it queued
 * (jobsQueued), and the workers are woken after COMMIT by one NOTIFY per process and burst
 * (src/events/createJobWaker.ts); a lost wake-up delays a job to the workers' next poll (2 s).
 */
export async function addJobs(sql: Sql, jobs: JobSpec[]): Promise<number> {
  if (jobs.length === 0) return 0;
  const rows = await sql.query<{ n: number }>(`SELECT omega_add_jobs_quiet($1::json) AS n`, [
    JSON.stringify(
      jobs.map((j) => ({
        identifier: j.task,
        payload: j.payload,
        run_at: j.runAt?.toISOString() ?? null,
        max_attempts: j.maxAttempts,
        job_key: j.jobKey,
        priority: j.priority ?? null,
      })),
    ),
  ]);
  const n = rows[0]?.n ?? 0;
  // Only jobs due now need a worker awake; scheduled ones are found by the poll at their run_at.
  const due = jobs.filter((j) => j.runAt === null || j.runAt.getTime() <= Date.now()).length;
  if (due > 0) sql.jobsQueued?.(due);
  return n;
}
