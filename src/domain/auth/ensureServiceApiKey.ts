import type { Deps } from '../deps.js';
import { apiKeyPrefix, hashApiKey } from './apiKeySecret.js';

/**
 * Makes sure a service key with exactly this value exists (OMEGA_SERVICE_API_KEY), for deployments
 * and automation that configure the key up front. Idempotent; a revoked key with that value stays revoked.
 */
export async function ensureServiceApiKey(deps: Deps, key: string): Promise<{ id: string; created: boolean }> {
  const keyHash = hashApiKey(key);
  const { rows } = await deps.pool.query<{ id: string; created: boolean }>(
    `INSERT INTO api_keys (scope, business_id, name, prefix, key_hash)
     VALUES ('service', NULL, 'OMEGA_SERVICE_API_KEY', $1::text, $2::text)
     ON CONFLICT (key_hash) DO UPDATE SET key_hash = EXCLUDED.key_hash
     RETURNING id, (xmax = 0) AS created`,
    [apiKeyPrefix(key), keyHash],
  );
  const row = rows[0];
  if (!row) throw new Error('internal error: upsert of the service API key returned no row');
  return row;
}
