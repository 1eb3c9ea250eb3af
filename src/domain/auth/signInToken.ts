// Sign-in link tokens: a readable prefix plus 32 random bytes (base64url), stored only as their
// SHA-256 hash, as API keys are (hashApiKey): a token cannot be guessed, so a fast hash is safe.
import { randomBytes } from 'node:crypto';
import { hashApiKey } from './apiKeySecret.js';

const SIGN_IN_TOKEN = /^omega_sl_[A-Za-z0-9_-]{43}$/;

/** A new token: shown once (in the link), never stored. */
export function generateSignInToken(): string {
  return `omega_sl_${randomBytes(32).toString('base64url')}`;
}

/** The stored hash of a token; null when the text cannot be a token at all (no database read needed). */
export function hashSignInToken(token: string): string | null {
  return SIGN_IN_TOKEN.test(token) ? hashApiKey(token) : null;
}
