import type { Sql } from '../sqlHandle.js';

/** Deletes sign-in links (used or not) that expired more than `keepSeconds` ago; returns how many. */
export async function deleteExpiredSignInLinks(sql: Sql, keepSeconds: number): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `WITH deleted AS (DELETE FROM sign_in_links WHERE expires_at < now() - make_interval(secs => $1::int) RETURNING 1)
     SELECT count(*)::int AS n FROM deleted`,
    [keepSeconds],
  );
  return rows[0]?.n ?? 0;
}
