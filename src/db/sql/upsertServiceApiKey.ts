import type { Sql } from '../sqlHandle.js';

/** The service key with this hash, inserted if missing (a revoked one stays revoked); `created` says which. */
export async function upsertServiceApiKey(sql: Sql, key: { prefix: string; keyHash: string }): Promise<{ id: string; created: boolean }> {
  const rows = await sql.query<{ id: string; created: boolean }>(
    `INSERT INTO api_keys (scope, business_id, name, prefix, key_hash)
     VALUES ('service', NULL, 'OMEGA_SERVICE_API_KEY', $1::text, $2::text)
     ON CONFLICT (key_hash) DO UPDATE SET key_hash = EXCLUDED.key_hash
     RETURNING id, (xmax = 0) AS created`,
    [key.prefix, key.keyHash],
  );
  const row = rows[0];
  if (!row) throw new Error('internal error: upsert of the service API key returned no row');
  return row;
}
