import { createHash, randomBytes } from 'node:crypto';

/** Keys are stored only as this hash; a key is 32 random bytes, so a fast hash is safe (no guessing). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new key: a readable kind prefix plus 32 random bytes (base64url). Shown once, never stored. */
export function generateApiKey(scope: 'service' | 'business'): string {
  return `omega_${scope === 'service' ? 'sk' : 'bk'}_${randomBytes(32).toString('base64url')}`;
}

/** The non-secret part kept for listings: kind prefix and the first characters of the random part. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, 16);
}
