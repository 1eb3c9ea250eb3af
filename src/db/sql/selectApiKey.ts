import type { Sql } from '../sqlHandle.js';

export interface ApiKeyRow {
  id: string;
  scope: 'service' | 'business';
  business_id: string | null;
  /** last_used_at is over a minute old (or unset): the caller refreshes it. */
  stale: boolean;
}

/** The active API key of a hash ($1): unknown, revoked and expired keys match nothing. */
export const SELECT_API_KEY = `
  SELECT id, scope, business_id, (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') AS stale
    FROM api_keys
   WHERE key_hash = $1::text AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`;

export async function selectApiKey(sql: Sql, keyHash: string): Promise<ApiKeyRow | null> {
  const rows = await sql.query<ApiKeyRow>(SELECT_API_KEY, [keyHash]);
  return rows[0] ?? null;
}

/** Bookkeeping only (at most once a minute per key): a failure must not fail the request. */
export function touchApiKey(sql: Sql, id: string): void {
  sql.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1::uuid', [id]).catch(() => undefined);
}
