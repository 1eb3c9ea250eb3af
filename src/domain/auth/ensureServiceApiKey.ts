import { upsertServiceApiKey } from '../../db/sql/upsertServiceApiKey.js';
import type { Deps } from '../deps.js';
import { apiKeyPrefix, hashApiKey } from './apiKeySecret.js';

/**
 * Makes sure a service key with exactly this value exists (OMEGA_SERVICE_API_KEY), for deployments
 * and automation that configure the key up front. Idempotent; a revoked key with that value stays revoked.
 */
export async function ensureServiceApiKey(deps: Deps, key: string): Promise<{ id: string; created: boolean }> {
  return upsertServiceApiKey(deps.sql, { prefix: apiKeyPrefix(key), keyHash: hashApiKey(key) });
}
