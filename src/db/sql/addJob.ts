import type { Sql } from '../sqlHandle.js';

export interface AddJobOptions {
  /** `<task>:<id>`: a second add with the same key replaces the pending job instead of adding one. */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  queueName?: string;
  priority?: number;
  /** graphile-worker's job_key_mode: replace (default), preserve_run_at or unsafe_dedupe. */
  jobKeyMode?: 'replace' | 'preserve_run_at' | 'unsafe_dedupe';
}

/**
 * Enqueues a graphile-worker job inside the caller's transaction: it exists if and only if the
 * transaction commits, so a row and the job that serves it are never separated.
 */
export async function addJob(sql: Sql, task: string, payload: Record<string, unknown>, options: AddJobOptions = {}): Promise<string> {
  const rows = await sql.query<{ id: string }>(
    `SELECT (graphile_worker.add_job(
        $1::text, $2::json,
        queue_name => $3::text, run_at => $4::timestamptz, max_attempts => $5::int,
        job_key => $6::text, priority => $7::int, job_key_mode => coalesce($8::text, 'replace')
      )).id::text AS id`,
    [task, JSON.stringify(payload), options.queueName ?? null, options.runAt ?? null, options.maxAttempts ?? null, options.jobKey ?? null, options.priority ?? null, options.jobKeyMode ?? null],
  );
  return rows[0]!.id;
}
