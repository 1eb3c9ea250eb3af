import type { Sql } from '../sqlHandle.js';

export interface ActiveSessionRow {
  id: string;
  business_id: string;
  staff_id: string;
  expires_at: Date;
  /** last_used_at is more than a minute old (or never set): worth refreshing. */
  stale: boolean;
}

/** The session if it is neither revoked nor expired and its staff member is still active. */
export async function selectActiveSession(sql: Sql, sessionId: string): Promise<ActiveSessionRow | undefined> {
  const rows = await sql.query<ActiveSessionRow>(
    `SELECT s.id, s.business_id, s.staff_id, s.expires_at,
            (s.last_used_at IS NULL OR s.last_used_at < now() - interval '1 minute') AS stale
       FROM sessions s
       JOIN staff st ON st.id = s.staff_id AND st.business_id = s.business_id
      WHERE s.id = $1::uuid AND s.revoked_at IS NULL AND s.expires_at > now() AND st.active`,
    [sessionId],
  );
  return rows[0];
}
