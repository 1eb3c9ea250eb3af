// Endpoint signing secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the session
// token key: with OMEGA_TOKEN_SECRET set, a copy of the database alone does not reveal them (without
// it the key is the instance secret kept in the same database: set OMEGA_TOKEN_SECRET in production).
// Changing OMEGA_TOKEN_SECRET makes stored secrets unreadable: rotate each endpoint's secret afterwards
// (until then its deliveries fail with that reason in the delivery log).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export function deriveSecretKey(tokenSecret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', tokenSecret, 'omega', 'outbound-webhook-secrets', 32));
}

/** A new Standard Webhooks secret: "whsec_" and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** "v1.<iv>.<ciphertext>.<tag>", base64url parts. */
export function sealSecret(key: Uint8Array, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), data.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

export function openSecret(key: Uint8Array, sealed: string): string {
  const [version, iv, data, tag] = sealed.split('.');
  if (version !== VERSION || iv === undefined || data === undefined || tag === undefined) throw new Error('internal error: a webhook secret is not sealed in a known format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
