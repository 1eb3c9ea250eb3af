import type { Sql } from '../sqlHandle.js';

export interface ReadinessRow {
  /** Migrations recorded as applied (finished, not rolled back) in _prisma_migrations. */
  applied: string[];
  /** The heartbeats of the given workers: alive while `fresh` (its deadline not passed). */
  workers: { id: string; fresh: boolean }[];
}

/**
 * The readiness check in one round trip: the applied migrations, and the heartbeats of this
 * process's workers (worker_heartbeats; none asked: an empty list).
 */
export async function selectReadiness(sql: Sql, workerIds: readonly string[]): Promise<ReadinessRow> {
  const rows = await sql.query<ReadinessRow>(
    `SELECT (SELECT coalesce(array_agg(migration_name::text), '{}'::text[])
               FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL) AS applied,
            (SELECT coalesce(json_agg(json_build_object('id', worker_id, 'fresh', dead_at > now())), '[]'::json)
               FROM worker_heartbeats WHERE worker_id = ANY($1::text[])) AS workers`,
    [workerIds],
  );
  return rows[0] ?? { applied: [], workers: [] };
}
