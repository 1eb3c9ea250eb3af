// graphql-ws as the GraphQL fuzz drives it: one connection per case (its upgrade headers, its
// connectionParams, one subscribe message), and the cases where a browser's upgrade request carries
// a stale or invalid cookie (a revoked, expired, forged or garbled session; a garbage API key) from
// an allowed origin (none, PUBLIC_BASE_URL's, the host's own) while connectionParams carry a valid
// API key. connectionParams come before cookies (src/http/principal.ts), so the key is used and
// every operation runs; none may close the socket with 4500 or 1011.
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/domain/auth/sessionToken.js';
import { PUBLIC_URL, type FuzzWorld } from './fuzzWorld.js';

export interface WsOutcome {
  /** The HTTP status when the upgrade was refused. */
  upgradeStatus: number | null;
  acked: boolean;
  messages: { type: string; payload?: unknown }[];
  closeCode: number | null;
  closeReason: string;
}

export interface WsConnect {
  connectionParams: Record<string, unknown>;
  /** Upgrade request headers: cookie, origin. */
  headers?: Record<string, string>;
}

/** Connects, subscribes once (a JSON payload or a raw message), and collects until complete, error, close or `waitMs`. */
export async function overSocket(url: string, connect: WsConnect, payload: unknown, waitMs = 700): Promise<WsOutcome> {
  const ws = new WebSocket(url, 'graphql-transport-ws', { headers: connect.headers ?? {} });
  const outcome: WsOutcome = { upgradeStatus: null, acked: false, messages: [], closeCode: null, closeReason: '' };
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      ws.close();
      resolve();
    }, waitMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    ws.on('unexpected-response', (_req, res) => {
      outcome.upgradeStatus = res.statusCode ?? 0;
      res.resume();
      ws.terminate();
      done();
    });
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: connect.connectionParams })));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: unknown };
      if (message.type === 'connection_ack') {
        outcome.acked = true;
        ws.send(typeof payload === 'string' ? payload : JSON.stringify({ id: '1', type: 'subscribe', payload }));
        return;
      }
      outcome.messages.push(message);
      if (message.type === 'error' || message.type === 'complete') {
        ws.close();
        done();
      }
    });
    ws.on('close', (code, reason) => {
      outcome.closeCode = code;
      outcome.closeReason = String(reason);
      done();
    });
    ws.on('error', () => undefined);
  });
  return outcome;
}

export interface StaleCookieCase {
  input: string;
  connect: WsConnect;
  payload: { query: string; variables?: Record<string, unknown> };
  /** A query gets its data and completes; a subscription is still open when the wait ends. */
  kind: 'query' | 'subscription';
}

/** Cookies a browser may still hold: each invalid now, for a different reason. */
async function staleCookies(world: FuzzWorld): Promise<[string, string][]> {
  const { app, a, serviceKey } = world;
  const issue = async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/auth/token',
      headers: { 'x-api-key': serviceKey, 'content-type': 'application/json' },
      payload: JSON.stringify({ business_id: a.id, staff_id: a.staffId, ttl_seconds: 600 }),
    });
    if (res.statusCode !== 201) throw new Error(`POST /auth/token answered ${res.statusCode}: ${res.body}`);
    return res.json() as { access_token: string; session_id: string };
  };
  const revoked = await issue();
  const expire = await app.inject({
    method: 'POST',
    url: '/session/expire',
    headers: { 'x-api-key': serviceKey, 'content-type': 'application/json' },
    payload: JSON.stringify({ session_id: revoked.session_id }),
  });
  if (expire.statusCode !== 200) throw new Error(`POST /session/expire answered ${expire.statusCode}: ${expire.body}`);
  const jwt = (key: Uint8Array, expiresAt: number) =>
    new SignJWT({ bid: a.id })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(a.staffId)
      .setJti(randomUUID())
      .setIssuedAt(expiresAt - 600)
      .setExpirationTime(expiresAt)
      .sign(key);
  const now = Math.floor(Date.now() / 1000);
  return [
    ['revoked session token', `omega_session=${revoked.access_token}`],
    ['expired session token (signed with the real key)', `omega_session=${await jwt(world.t.deps.auth.tokenKey, now - 60)}`],
    ['session token signed with another key', `omega_session=${await jwt(new TextEncoder().encode('not the instance secret, 32 bytes+'), now + 600)}`],
    ['garbage session cookie', 'omega_session=x.y.z'],
    ['session cookie of a lone surrogate', 'omega_session=%ED%A0%80'],
    ['garbage API key cookie', 'omega_api_key=omega_garbage'],
  ];
}

/** Every stale cookie, from every allowed origin, under a subscription and two queries. */
export async function staleCookieCases(world: FuzzWorld, serverOrigin: string): Promise<StaleCookieCase[]> {
  const origins: [string, Record<string, string>][] = [
    ['no Origin', {}],
    ["PUBLIC_BASE_URL's origin", { origin: new URL(PUBLIC_URL).origin }],
    ["the host's own origin", { origin: serverOrigin }],
  ];
  const operations: [string, StaleCookieCase['kind'], StaleCookieCase['payload']][] = [
    ['subscription inboxEvents', 'subscription', { query: 'subscription ($b: String!) { inboxEvents(businessId: $b) { cursor type } }', variables: { b: world.a.id } }],
    ['query health', 'query', { query: '{ health { status } }' }],
    ['query locations', 'query', { query: 'query ($b: String!) { locations(businessId: $b) { id } }', variables: { b: world.a.id } }],
  ];
  const cases: StaleCookieCase[] = [];
  for (const [cookieName, cookie] of await staleCookies(world)) {
    for (const [originName, origin] of origins) {
      for (const [opName, kind, payload] of operations) {
        cases.push({ input: `${opName}, ${cookieName}, ${originName}`, kind, payload, connect: { connectionParams: { 'X-API-KEY': world.a.apiKey }, headers: { cookie, ...origin } } });
      }
    }
  }
  return cases;
}

/** Why an outcome is not "the operation ran" (see StaleCookieCase.kind), or null. */
export function notServed(c: StaleCookieCase, out: WsOutcome): string | null {
  if (out.upgradeStatus !== null) return `upgrade refused with ${out.upgradeStatus}`;
  if (!out.acked) return `not acknowledged (close ${out.closeCode} ${out.closeReason})`;
  const first = out.messages[0];
  if (first?.type === 'error') return 'refused with an error message';
  if (c.kind === 'query') {
    const data = first?.type === 'next' && !(first.payload as { errors?: unknown } | undefined)?.errors;
    return data && out.messages.some((m) => m.type === 'complete') ? null : `no data (close ${out.closeCode} ${out.closeReason})`;
  }
  return out.closeCode !== null && out.closeCode !== 1005 && out.closeCode !== 1000 ? `closed with ${out.closeCode} ${out.closeReason}` : null;
}
