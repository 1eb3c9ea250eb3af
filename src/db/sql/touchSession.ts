import type { Pool } from '../pool.js';

/** Bookkeeping: when the session was last used (refreshed at most once a minute by its caller). */
export async function touchSession(pool: Pool, sessionId: string): Promise<void> {
  await pool.query('UPDATE sessions SET last_used_at = now() WHERE id = $1::uuid', [sessionId]);
}
