import type { Sql } from '../sqlHandle.js';

/** Whether the API key exists, is not revoked and has not expired. */
export async function isApiKeyActive(sql: Sql, apiKeyId: string): Promise<boolean> {
  const rows = await sql.query(`SELECT 1 FROM api_keys WHERE id = $1::uuid AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`, [apiKeyId]);
  return rows.length > 0;
}
