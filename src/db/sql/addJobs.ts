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
 * Enqueues many graphile-worker jobs in one statement (graphile_worker.add_jobs), inside the
 * caller's transaction: they exist if and only if the transaction commits.
 */
export async function addJobs(sql: Sql, jobs: JobSpec[]): Promise<number> {
  if (jobs.length === 0) return 0;
  const rows = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM graphile_worker.add_jobs(
       ARRAY(SELECT (j.identifier, j.payload, NULL, coalesce(j.run_at, now()), j.max_attempts, j.job_key, j.priority, NULL)::graphile_worker.job_spec
               FROM json_to_recordset($1::json) AS j(identifier text, payload json, run_at timestamptz, max_attempts smallint, job_key text, priority smallint))
     )`,
    [
      JSON.stringify(
        jobs.map((j) => ({ identifier: j.task, payload: j.payload, run_at: j.runAt?.toISOString() ?? null, max_attempts: j.maxAttempts, job_key: j.jobKey, priority: j.priority ?? null })),
      ),
    ],
  );
  return rows[0]?.n ?? 0;
}
