import type { Pool } from '../pool.js';

/** Records that these workers are alive (now). */
export async function beatWorkers(pool: Pool, workerIds: string[]): Promise<void> {
  if (workerIds.length === 0) return;
  await pool.query(
    `INSERT INTO worker_heartbeats (worker_id, beat_at) SELECT id, now() FROM unnest($1::text[]) AS id
     ON CONFLICT (worker_id) DO UPDATE SET beat_at = now()`,
    [workerIds],
  );
}

/** Workers that stopped cleanly: graphile-worker released their jobs itself. */
export async function forgetWorkers(pool: Pool, workerIds: string[]): Promise<void> {
  if (workerIds.length === 0) return;
  await pool.query('DELETE FROM worker_heartbeats WHERE worker_id = ANY($1::text[])', [workerIds]);
}

/**
 * Frees the jobs of workers that have not beaten for `silentSeconds` (graphile-worker's
 * force_unlock_workers: their jobs run again at once) and forgets those workers, in one statement.
 * Returns their ids.
 */
export async function releaseDeadWorkers(pool: Pool, silentSeconds: number): Promise<string[]> {
  const { rows } = await pool.query<{ ids: string[] | null; released: number }>(
    `WITH dead AS (
       DELETE FROM worker_heartbeats WHERE beat_at < now() - make_interval(secs => $1::int) RETURNING worker_id
     ), ids AS (
       SELECT array_agg(worker_id) AS ids FROM dead
     ), released AS (
       SELECT graphile_worker.force_unlock_workers(ids) FROM ids WHERE ids IS NOT NULL
     )
     SELECT ids, (SELECT count(*)::int FROM released) AS released FROM ids`,
    [silentSeconds],
  );
  return rows[0]?.ids ?? [];
}
