import type { Sql } from '../sqlHandle.js';

/** Bookkeeping: when the session was last used (refreshed at most once a minute by its caller). */
export async function touchSession(sql: Sql, sessionId: string): Promise<void> {
  await sql.query('UPDATE sessions SET last_used_at = now() WHERE id = $1::uuid', [sessionId]);
}
