import { selectApiKeyAndHitCounter } from '../../db/sql/hitRateLimitCounter.js';
import { selectApiKey, touchApiKey, type ApiKeyRow } from '../../db/sql/selectApiKey.js';
import type { Deps } from '../deps.js';
import { hashApiKey } from './apiKeySecret.js';
import { decideRateLimit, type RateLimitDecision } from './consumeRateLimit.js';
import type { Principal } from './principal.js';

/**
 * Resolves an API key to a principal, or null when it is unknown, revoked or expired.
 * last_used_at is refreshed at most once a minute per key, so authentication stays one indexed read.
 */
export async function authenticateApiKey(deps: Deps, key: string): Promise<Principal | null> {
  if (!plausible(key)) return null;
  return toPrincipal(deps, await selectApiKey(deps.sql, hashApiKey(key)));
}

/**
 * authenticateApiKey and consumeRateLimit of the same request in one statement (one round trip
 * instead of two, on every API request): the request counts against the key ("api_key:<id>"), or
 * against `fallbackKey` (the caller's address) when the key is not valid. Throws RATE_LIMITED as
 * consumeRateLimit does; the principal is null for an invalid key.
 */
export async function authenticateApiKeyAndCount(
  deps: Deps,
  key: string,
  limit: { fallbackKey: string; limit: number; windowSeconds?: number },
): Promise<{ principal: Principal | null; decision: RateLimitDecision }> {
  const window = limit.windowSeconds ?? 60;
  // An implausible key is never looked up; its request counts for the address all the same.
  const hash = plausible(key) ? hashApiKey(key) : '';
  const { apiKey, counter } = await selectApiKeyAndHitCounter(deps.sql, hash, limit.fallbackKey, window);
  const principal = toPrincipal(deps, apiKey);
  return { principal, decision: decideRateLimit(counter, limit.limit, window) };
}

const plausible = (key: string) => key.length >= 8 && key.length <= 512;

function toPrincipal(deps: Deps, row: ApiKeyRow | null): Principal | null {
  if (!row) return null;
  if (row.stale) touchApiKey(deps.sql, row.id);
  return row.scope === 'service' || row.business_id === null ? { kind: 'service', apiKeyId: row.id } : { kind: 'business', apiKeyId: row.id, businessId: row.business_id };
}
