import type { Sql } from '../sqlHandle.js';

/** Records that these workers are alive (now), and dead if they have not beaten again `deadAfterSeconds` from now. */
export async function beatWorkers(sql: Sql, workerIds: string[], deadAfterSeconds: number): Promise<void> {
  if (workerIds.length === 0) return;
  await sql.query(
    `INSERT INTO worker_heartbeats (worker_id, beat_at, dead_at)
     SELECT id, now(), now() + make_interval(secs => $2::int) FROM unnest($1::text[]) AS id
     ON CONFLICT (worker_id) DO UPDATE SET beat_at = EXCLUDED.beat_at, dead_at = EXCLUDED.dead_at`,
    [workerIds, deadAfterSeconds],
  );
}

/** Workers that stopped cleanly: graphile-worker released their jobs itself. */
export async function forgetWorkers(sql: Sql, workerIds: string[]): Promise<void> {
  if (workerIds.length === 0) return;
  await sql.query('DELETE FROM worker_heartbeats WHERE worker_id = ANY($1::text[])', [workerIds]);
}

/**
 * Frees the jobs of workers past the deadline their last beat set (graphile-worker's
 * force_unlock_workers: their jobs run again at once) and forgets those workers, in one statement.
 * Each process sets its own deadline, so processes with different settings share the table safely.
 * Returns their ids.
 */
export async function releaseDeadWorkers(sql: Sql): Promise<string[]> {
  const rows = await sql.query<{ ids: string[] | null; released: number }>(
    `WITH dead AS (
       DELETE FROM worker_heartbeats WHERE dead_at < now() RETURNING worker_id
     ), ids AS (
       SELECT array_agg(worker_id) AS ids FROM dead
     ), released AS (
       SELECT graphile_worker.force_unlock_workers(ids) FROM ids WHERE ids IS NOT NULL
     )
     SELECT ids, (SELECT count(*)::int FROM released) AS released FROM ids`,
  );
  return rows[0]?.ids ?? [];
}
