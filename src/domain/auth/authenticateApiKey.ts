import type { Deps } from '../deps.js';
import { hashApiKey } from './apiKeySecret.js';
import type { Principal } from './principal.js';

interface KeyRow {
  id: string;
  scope: 'service' | 'business';
  business_id: string | null;
  stale: boolean;
}

/**
 * Resolves an API key to a principal, or null when it is unknown, revoked or expired.
 * last_used_at is refreshed at most once a minute per key, so authentication stays one indexed read.
 */
export async function authenticateApiKey(deps: Deps, key: string): Promise<Principal | null> {
  if (key.length < 8 || key.length > 512) return null;
  const hash = hashApiKey(key);
  const { rows } = await deps.pool.query<KeyRow>(
    `SELECT id, scope, business_id,
            (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') AS stale
       FROM api_keys
      WHERE key_hash = $1::text AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [hash],
  );
  const row = rows[0];
  if (!row) return null;
  if (row.stale) {
    // Bookkeeping only: a failure here must not fail the request.
    deps.pool.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1::uuid', [row.id]).catch(() => undefined);
  }
  return row.scope === 'service' || row.business_id === null
    ? { kind: 'service', apiKeyId: row.id }
    : { kind: 'business', apiKeyId: row.id, businessId: row.business_id };
}
