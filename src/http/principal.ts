// Reads credentials the same way for REST, GraphQL over HTTP and the graphql-ws connection:
//   1. an API key in the X-API-KEY header;
//   2. "Authorization: Bearer <token>" (a session token from POST /auth/token, or an API key);
//   3. graphql-ws connectionParams: { "X-API-KEY": "…" } or { Authorization: "Bearer …" }
//      (browsers cannot set headers on a WebSocket);
//   4. the omega_api_key cookie, then the omega_session cookie.
// The first credential found is the one used: an invalid one is refused, never skipped for the next.
import { parse as parseCookie } from 'cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { authenticateApiKey } from '../domain/auth/authenticateApiKey.js';
import { authenticateSessionToken } from '../domain/auth/authenticateSessionToken.js';
import type { Principal } from '../domain/auth/principal.js';
import type { Deps } from '../domain/deps.js';

export const API_KEY_HEADER = 'x-api-key';
export const API_KEY_COOKIE = 'omega_api_key';
export const SESSION_COOKIE = 'omega_session';

export type Credential = { kind: 'api_key'; value: string; source: CredentialSource } | { kind: 'session'; value: string; source: CredentialSource };
export type CredentialSource = 'header' | 'connection_params' | 'cookie';

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

/** A bearer value is a session token (a JWT) unless it looks like one of our API keys. */
function fromBearer(authorization: unknown, source: CredentialSource): Credential | undefined {
  if (typeof authorization !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
  if (!match) return undefined;
  const value = match[1]!;
  return value.startsWith('omega_') ? { kind: 'api_key', value, source } : { kind: 'session', value, source };
}

export function readCredential(headers: IncomingHttpHeaders, extra?: Record<string, unknown>): Credential | undefined {
  const apiKey = first(headers[API_KEY_HEADER]);
  if (apiKey) return { kind: 'api_key', value: apiKey, source: 'header' };
  const bearer = fromBearer(first(headers.authorization), 'header');
  if (bearer) return bearer;
  if (extra) {
    // Names as in headers, so in any case (GraphiQL sends its headers editor's content as typed).
    const params = new Map(Object.entries(extra).map(([name, value]) => [name.toLowerCase(), value]));
    const fromParams = params.get(API_KEY_HEADER) ?? params.get('apikey');
    if (typeof fromParams === 'string' && fromParams.trim()) return { kind: 'api_key', value: fromParams.trim(), source: 'connection_params' };
    const paramBearer = fromBearer(params.get('authorization'), 'connection_params');
    if (paramBearer) return paramBearer;
    const token = params.get('token');
    if (typeof token === 'string' && token.trim()) return { kind: 'session', value: token.trim(), source: 'connection_params' };
  }
  if (headers.cookie) {
    const cookies = parseCookie(headers.cookie);
    const keyCookie = cookies[API_KEY_COOKIE]?.trim();
    if (keyCookie) return { kind: 'api_key', value: keyCookie, source: 'cookie' };
    const sessionCookie = cookies[SESSION_COOKIE]?.trim();
    if (sessionCookie) return { kind: 'session', value: sessionCookie, source: 'cookie' };
  }
  return undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The request's credentials, checked once whoever asks first (the rate limiter, REST's guard,
     * GraphQL's context): read it with requestPrincipal. null until then.
     */
    authentication: Promise<Principal | null> | null;
  }
}

/** Gives every request its `authentication` slot; registered once on the root app, before any route. */
export function registerAuthentication(app: FastifyInstance): void {
  app.decorateRequest('authentication', null);
}

/** The request's principal (null: no credentials, or not valid), checked at most once per request. */
export function requestPrincipal(deps: Deps, req: FastifyRequest): Promise<Principal | null> {
  if (!req.authentication) {
    const pending = authenticate(deps, readCredential(req.headers));
    req.authentication = pending;
    // A failure (database down) must not be remembered for a later attempt.
    pending.catch(() => {
      if (req.authentication === pending) req.authentication = null;
    });
  }
  return req.authentication;
}

/** Keeps a principal authenticated elsewhere (the rate limiter's combined statement) for the request's other readers. */
export function rememberPrincipal(req: FastifyRequest, principal: Principal | null): void {
  req.authentication ??= Promise.resolve(principal);
}

/** The principal of a graphql-ws connection: its upgrade request's headers and cookies, and its connectionParams. */
export function connectionPrincipal(deps: Deps, headers: IncomingHttpHeaders, connectionParams: Record<string, unknown> | undefined): Promise<Principal | null> {
  return authenticate(deps, readCredential(headers, connectionParams ?? {}));
}

async function authenticate(deps: Deps, credential: Credential | undefined): Promise<Principal | null> {
  if (!credential) return null;
  return credential.kind === 'api_key' ? authenticateApiKey(deps, credential.value) : authenticateSessionToken(deps, credential.value);
}
