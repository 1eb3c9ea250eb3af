// The REST calls of signing in and out (same origin; the session is the httpOnly cookie they set).
import { describeRestError } from '../lib/errors';

export interface SignedIn {
  business_id: string;
  staff_id: string;
  staff_name: string;
  expires_at: string;
}

export interface DemoOptions {
  business_id: string;
  business_name: string;
  staff: { id: string; name: string; role: string | null }[];
}

/** A call's answer, or why it failed in words (`status`: the HTTP status; 0 when Omega was not reached). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string; status: number };

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Outcome<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, message: 'Omega could not be reached. Check your connection and try again.', status: 0 };
  }
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) return { ok: false, message: describeRestError(response.status, json), status: response.status };
  return { ok: true, value: json as T };
}

export const signInWithToken = (token: string) => call<SignedIn>('POST', '/auth/sign-in', { token });
export const demoSignIn = (staffId: string) => call<SignedIn>('POST', '/auth/demo-sign-in', { staff_id: staffId });
export const signInOptions = () => call<{ demo: DemoOptions | null }>('GET', '/auth/sign-in-options');
export const expireSession = () => call<unknown>('POST', '/session/expire', {});

/**
 * Signs out: true once the session has ended (the API ended it, or it answers 401: it had already
 * ended), else the reason it may still be valid (network, 5xx, 429) for the person to retry.
 */
export async function endSession(): Promise<{ ok: true } | { ok: false; message: string }> {
  const outcome = await expireSession();
  if (outcome.ok || outcome.status === 401) return { ok: true };
  return { ok: false, message: outcome.message };
}

/** The token of a sign-in link (`#token=…`), if the location's hash holds one. */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  return token && token.trim() ? token.trim() : null;
}
