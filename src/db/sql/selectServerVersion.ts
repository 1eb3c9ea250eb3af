import type { Sql } from '../sqlHandle.js';

/** The server's version string (one round trip: the readiness check). */
export async function selectServerVersion(sql: Sql): Promise<string> {
  const rows = await sql.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  return rows[0]?.v ?? 'unknown';
}
