import type { Sql } from '../sqlHandle.js';

/**
 * Revokes the active sessions matching every given filter (at least one of sessionId, staffId,
 * apiKeyId), within businessId when given. Returns the ids revoked now; already revoked or expired
 * ones are left as they are. The sessions trigger NOTIFYs each revocation at COMMIT.
 */
export async function revokeSessions(sql: Sql, filter: { sessionId?: string; staffId?: string; apiKeyId?: string; businessId?: string }): Promise<string[]> {
  if (!filter.sessionId && !filter.staffId && !filter.apiKeyId) throw new Error('internal error: revokeSessions needs a filter');
  const rows = await sql.query<{ id: string }>(
    `UPDATE sessions SET revoked_at = now()
      WHERE revoked_at IS NULL AND expires_at > now()
        AND ($1::uuid IS NULL OR id = $1::uuid)
        AND ($2::uuid IS NULL OR staff_id = $2::uuid)
        AND ($3::uuid IS NULL OR api_key_id = $3::uuid)
        AND ($4::text IS NULL OR business_id = $4::text)
      RETURNING id::text AS id`,
    [filter.sessionId ?? null, filter.staffId ?? null, filter.apiKeyId ?? null, filter.businessId ?? null],
  );
  return rows.map((r) => r.id);
}
