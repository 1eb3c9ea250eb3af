import type { Sql } from '../sqlHandle.js';

/**
 * Removes the pending graphile-worker job with this key inside the caller's transaction
 * (graphile_worker.remove_job: a job already running keeps running, but is never retried and
 * loses its key). No job with the key: nothing happens.
 */
export async function removeJob(sql: Sql, jobKey: string): Promise<void> {
  await sql.query(`SELECT 1 FROM graphile_worker.remove_job($1::text)`, [jobKey]);
}
