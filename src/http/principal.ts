// Reads credentials from a request's headers, the same way for REST, GraphQL over HTTP and the
// graphql-ws upgrade request: the X-API-KEY header, else the omega_api_key cookie.
import { parse as parseCookie } from 'cookie';
import type { IncomingHttpHeaders } from 'node:http';
import { authenticateApiKey } from '../domain/auth/authenticateApiKey.js';
import type { Principal } from '../domain/auth/principal.js';
import type { Deps } from '../domain/deps.js';

export const API_KEY_HEADER = 'x-api-key';
export const API_KEY_COOKIE = 'omega_api_key';

export function readApiKey(headers: IncomingHttpHeaders, extra?: Record<string, unknown>): string | undefined {
  const header = headers[API_KEY_HEADER];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromHeader) return fromHeader.trim();
  // graphql-ws clients in browsers cannot set headers: they pass the key in connectionParams.
  const fromParams = extra?.['X-API-KEY'] ?? extra?.['x-api-key'] ?? extra?.['apiKey'];
  if (typeof fromParams === 'string' && fromParams) return fromParams.trim();
  if (headers.cookie) {
    const cookies = parseCookie(headers.cookie);
    const fromCookie = cookies[API_KEY_COOKIE];
    if (fromCookie) return fromCookie.trim();
  }
  return undefined;
}

/** null when no credentials were sent or they are not valid. */
export async function resolvePrincipal(
  deps: Deps,
  headers: IncomingHttpHeaders,
  connectionParams?: Record<string, unknown>,
): Promise<Principal | null> {
  const key = readApiKey(headers, connectionParams);
  return key ? authenticateApiKey(deps, key) : null;
}
