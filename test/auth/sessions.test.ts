import { SignJWT } from 'jose';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDeps } from '../../src/createDeps.js';
import { pgTransaction } from '../../src/db/transaction.js';
import { createPool } from '../../src/db/pool.js';
import { authenticateSessionToken } from '../../src/domain/auth/authenticateSessionToken.js';
import { publishInboxEvent } from '../../src/domain/inbox/publishInboxEvent.js';
import { createBusiness, createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';
import { quietFor, waitFor } from '../helpers/waitFor.js';

const SUBSCRIPTION = 'subscription ($b: String!, $after: String) { inboxEvents(businessId: $b, after: $after) { type payload } }';

describe('session tokens', () => {
  let t: TestApp;
  let url: string;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  let service: string;
  let maya: string;
  let jonas: string;
  let bStaff: string;
  const clients: Client[] = [];

  const issue = (body: Record<string, unknown>, key = a.apiKey) => t.app.inject({ method: 'POST', url: '/auth/token', headers: { 'x-api-key': key }, payload: body });
  const token = async (staffId = maya, extra: Record<string, unknown> = {}) => (await issue({ business_id: 'tok-a', staff_id: staffId, ...extra })).json().access_token as string;
  const bearer = (tok: string) => ({ authorization: `Bearer ${tok}` });
  const locations = (businessId: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url: `/businesses/${businessId}/locations`, headers });
  const gql = (query: string, headers: Record<string, string>, variables: Record<string, unknown> = {}) => t.app.inject({ method: 'POST', url: '/graphql', headers, payload: { query, variables } });
  const expire = (headers: Record<string, string>, body?: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/session/expire', headers, ...(body ? { payload: body } : {}) });

  /** One event in its own transaction (subscribers are woken after COMMIT). */
  const publish = (businessId: string, n: number) => pgTransaction(t.deps, (sql) => publishInboxEvent(sql, { businessId, type: 'conversation.updated', payload: { n } }));

  /** The business's newest event cursor: a subscription after it gets every event published later, whenever it starts. */
  const latest = async (businessId = 'tok-a') =>
    (await t.deps.pool.query(`SELECT coalesce((SELECT xid || ':' || id FROM inbox_events WHERE business_id = $1 ORDER BY xid DESC, id DESC LIMIT 1), '0:0') AS c`, [businessId])).rows[0].c as string;

  /**
   * Connects over graphql-ws, subscribes (after cursor `after`, if given), and reports events, the
   * connection's acknowledgement (its credential is watched for revocation by then) and how the
   * socket closed.
   */
  const subscribe = (options: { connectionParams?: Record<string, unknown>; headers?: Record<string, string>; after?: string }, businessId = 'tok-a') => {
    const events: number[] = [];
    let subscriptionError: unknown = null;
    let resolveClosed!: (e: { code: number; reason: string }) => void;
    const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
    let resolveConnected!: () => void;
    const connected = new Promise<void>((r) => (resolveConnected = r));
    class HeaderSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: options.headers ?? {} });
      }
    }
    const client = createClient({
      url,
      webSocketImpl: HeaderSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: options.connectionParams ?? {},
      onNonLazyError: () => undefined,
      on: {
        connected: () => resolveConnected(),
        closed: (e) => {
          const { code, reason } = e as { code: number; reason: string };
          resolveClosed({ code, reason });
        },
      },
    });
    clients.push(client);
    client.subscribe<{ inboxEvents: { payload: { n: number } } }>(
      { query: SUBSCRIPTION, variables: { b: businessId, after: options.after } },
      { next: (m) => (m.data ? events.push(m.data.inboxEvents.payload.n) : (subscriptionError = m.errors)), error: (e) => (subscriptionError = e), complete: () => undefined },
    );
    return { events, closed, connected, error: () => subscriptionError };
  };

  beforeAll(async () => {
    t = await startTestApp({ depsOptions: { publicBaseUrl: 'https://omega.test', tokenTtlSeconds: 900 } });
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `${address.replace('http', 'ws')}/graphql`;
    a = await createBusiness(t.deps, 'tok-a');
    b = await createBusiness(t.deps, 'tok-b');
    service = await createServiceKey(t.deps);
    maya = (await t.deps.prisma.staff.create({ data: { businessId: 'tok-a', externalId: 'maya', firstName: 'Maya' } })).id;
    jonas = (await t.deps.prisma.staff.create({ data: { businessId: 'tok-a', externalId: 'jonas', firstName: 'Jonas' } })).id;
    bStaff = (await t.deps.prisma.staff.create({ data: { businessId: 'tok-b', firstName: 'Bea' } })).id;
    await t.deps.prisma.location.create({ data: { businessId: 'tok-a', name: 'A main' } });
  });
  afterAll(async () => {
    await Promise.all(clients.map(async (c) => c.dispose()));
    await t.close();
  });

  describe('issuing', () => {
    it('issues a signed token backed by a session row, by Omega id or external id', async () => {
      const res = await issue({ business_id: 'tok-a', staff_id: maya, ttl_seconds: 300 });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ token_type: 'bearer', expires_in: 300, business_id: 'tok-a', staff_id: maya });
      expect(body.access_token.split('.')).toHaveLength(3);
      expect(res.headers['set-cookie']).toBeUndefined();
      const session = await t.deps.prisma.session.findUniqueOrThrow({ where: { id: body.session_id } });
      expect(session).toMatchObject({ businessId: 'tok-a', staffId: maya, revokedAt: null });
      expect(Math.abs(session.expiresAt.getTime() - Date.parse(body.expires_at))).toBeLessThan(1000);
      const byExternal = await issue({ business_id: 'tok-a', staff_external_id: 'jonas' });
      expect(byExternal.json()).toMatchObject({ staff_id: jonas, expires_in: 900 });
    });

    it('sets the omega_session cookie when asked: httpOnly, SameSite=Lax, Secure on https, path /', async () => {
      const res = await issue({ business_id: 'tok-a', staff_id: maya, set_cookie: true, ttl_seconds: 120 });
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(new RegExp(`^omega_session=${res.json().access_token.replace(/\./g, '\\.')};`));
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).toMatch(/; Max-Age=120/);
    });

    it('omits Secure when the service is served over plain http', async () => {
      const plain = await startTestApp({ depsOptions: { publicBaseUrl: 'http://127.0.0.1:4000' } });
      try {
        const biz = await createBusiness(plain.deps, 'plain');
        const staff = await plain.deps.prisma.staff.create({ data: { businessId: 'plain', firstName: 'P' } });
        const res = await plain.app.inject({ method: 'POST', url: '/auth/token', headers: { 'x-api-key': biz.apiKey }, payload: { business_id: 'plain', staff_id: staff.id, set_cookie: true } });
        expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly/);
        expect(String(res.headers['set-cookie'])).not.toMatch(/Secure/);
      } finally {
        await plain.close();
      }
    });

    it('refuses: no key 401, another business 403, unknown or foreign staff 404, inactive staff 409, bad input 422', async () => {
      expect((await t.app.inject({ method: 'POST', url: '/auth/token', payload: { business_id: 'tok-a', staff_id: maya } })).statusCode).toBe(401);
      const foreign = await issue({ business_id: 'tok-a', staff_id: maya }, b.apiKey);
      expect([foreign.statusCode, foreign.json().code]).toEqual([403, 'BUSINESS_FORBIDDEN']);
      const staffOfB = await issue({ business_id: 'tok-a', staff_id: bStaff });
      expect([staffOfB.statusCode, staffOfB.json().code]).toEqual([404, 'STAFF_NOT_FOUND']);
      const inactive = await t.deps.prisma.staff.create({ data: { businessId: 'tok-a', firstName: 'Gone', active: false } });
      expect((await issue({ business_id: 'tok-a', staff_id: inactive.id })).json().code).toBe('STAFF_INACTIVE');
      expect((await issue({ business_id: 'tok-a', staff_id: 'not-a-uuid' })).statusCode).toBe(422);
      expect((await issue({ business_id: 'tok-a' })).statusCode).toBe(422);
      const tooLong = await issue({ business_id: 'tok-a', staff_id: maya, ttl_seconds: 901 });
      expect(tooLong.statusCode).toBe(422);
      expect(tooLong.json().detail[0].loc).toEqual(['body', 'ttl_seconds']);
    });

    it('lets a service key issue for any business, and never lets a session mint tokens', async () => {
      expect((await issue({ business_id: 'tok-b', staff_id: bStaff }, service)).statusCode).toBe(201);
      const tok = await token();
      const res = await t.app.inject({ method: 'POST', url: '/auth/token', headers: bearer(tok), payload: { business_id: 'tok-a', staff_id: jonas } });
      expect([res.statusCode, res.json().code]).toEqual([403, 'API_KEY_REQUIRED']);
    });

    it('issues through GraphQL createAuthToken as well', async () => {
      const res = await gql(
        'mutation ($i: CreateAuthTokenInput!) { createAuthToken(input: $i) { token tokenType staffId expiresIn } }',
        { 'x-api-key': a.apiKey },
        { i: { businessId: 'tok-a', staffExternalId: 'maya', ttlSeconds: 60 } },
      );
      const data = res.json().data.createAuthToken;
      expect(data).toMatchObject({ tokenType: 'bearer', staffId: maya, expiresIn: 60 });
      expect((await locations('tok-a', bearer(data.token))).statusCode).toBe(200);
      const foreign = await gql('mutation { createAuthToken(input: { businessId: "tok-b", staffId: "x" }) { token } }', { 'x-api-key': a.apiKey });
      expect(foreign.json().errors[0].extensions.code).toBe('FORBIDDEN');
    });
  });

  describe('using', () => {
    it('is accepted as a bearer token or the omega_session cookie on REST, and on GraphQL', async () => {
      const tok = await token();
      expect((await locations('tok-a', bearer(tok))).statusCode).toBe(200);
      expect((await locations('tok-a', { cookie: `omega_session=${tok}` })).statusCode).toBe(200);
      const viewer = await gql('{ viewer { kind businessId staffId } }', bearer(tok));
      expect(viewer.json().data.viewer).toEqual({ kind: 'session', businessId: 'tok-a', staffId: maya });
      const byCookie = await gql('{ business(id: "tok-a") { name } }', { cookie: `omega_session=${tok}` });
      expect(byCookie.json().data.business.name).toBe('Business tok-a');
    });

    it('acts on its own business only, on every route family', async () => {
      const tok = await token();
      expect((await locations('tok-b', bearer(tok))).json().code).toBe('BUSINESS_FORBIDDEN');
      expect((await t.app.inject({ method: 'GET', url: '/business/tok-b/onboarding-status', headers: bearer(tok) })).json().code).toBe('BUSINESS_FORBIDDEN');
      expect((await gql('{ business(id: "tok-b") { name } }', bearer(tok))).json().errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await gql('{ apiKeys { edges { node { prefix } } } }', bearer(tok))).json().errors[0].extensions.code).toBe('FORBIDDEN');
      const onboard = await t.app.inject({ method: 'POST', url: '/business/onboard', headers: bearer(tok), payload: { business_id: 'tok-a', name: 'x' } });
      expect(onboard.json().code).toBe('SERVICE_KEY_REQUIRED');
    });

    it('answers 401 to a forged, tampered, foreign-key or malformed token', async () => {
      const tok = await token();
      const [h, p, s] = tok.split('.');
      const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), bid: 'tok-b' })).toString('base64url')}.${s}`;
      const forged = await new SignJWT({ bid: 'tok-a' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('omega')
        .setAudience('omega-session')
        .setSubject(maya)
        .setJti(JSON.parse(Buffer.from(p!, 'base64url').toString()).jti)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode('some-other-secret-of-enough-length-000'));
      for (const bad of [tampered, forged, 'not.a.jwt', 'x'.repeat(5000)]) {
        const res = await locations('tok-a', bearer(bad));
        expect(res.statusCode, bad.slice(0, 20)).toBe(401);
        expect(res.json().code).toBe('UNAUTHENTICATED');
      }
      // alg "none" is never accepted.
      const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
      expect((await locations('tok-a', bearer(none))).statusCode).toBe(401);
    });

    it('verifies in another process on the same database (the key lives in the database, not in memory)', async () => {
      const tok = await token();
      const pool = createPool(t.db.url, 2, () => undefined);
      const other = await createDeps({ url: t.db.url, pool }, { warn: () => undefined });
      try {
        expect(await authenticateSessionToken(other, tok)).toMatchObject({ kind: 'session', businessId: 'tok-a', staffId: maya });
      } finally {
        await other.close();
        await pool.end();
      }
    });

    it('answers 401 once the session has expired (row expiry) or its staff member is deactivated', async () => {
      const tok = await token(jonas);
      expect((await locations('tok-a', bearer(tok))).statusCode).toBe(200);
      await t.deps.pool.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE staff_id = $1`, [jonas]);
      expect((await locations('tok-a', bearer(tok))).statusCode).toBe(401);
      const tok2 = await token(jonas);
      await t.deps.prisma.staff.update({ where: { id: jonas }, data: { active: false } });
      expect((await locations('tok-a', bearer(tok2))).statusCode).toBe(401);
      await t.deps.prisma.staff.update({ where: { id: jonas }, data: { active: true } });
    });
  });

  describe('expiring', () => {
    it('expires the presented session: 401 afterwards on REST and GraphQL, cookie cleared', async () => {
      const tok = await token();
      const res = await expire(bearer(tok));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ expired: 1, session_ids: [expect.any(String)] });
      expect(String(res.headers['set-cookie'])).toMatch(/^omega_session=; Max-Age=0/);
      expect((await locations('tok-a', bearer(tok))).statusCode).toBe(401);
      expect((await gql('{ business(id: "tok-a") { name } }', bearer(tok))).json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect((await expire(bearer(tok))).statusCode).toBe(401);
    });

    it('expires by cookie too', async () => {
      const tok = await token();
      expect((await expire({ cookie: `omega_session=${tok}` })).json().expired).toBe(1);
      expect((await locations('tok-a', { cookie: `omega_session=${tok}` })).statusCode).toBe(401);
    });

    it('lets a key expire a named session or all of a staff member, within its business only', async () => {
      const t1 = await token(maya);
      const t2 = await token(maya);
      const t3 = await token(jonas);
      const s1 = (await t.deps.prisma.session.findFirstOrThrow({ where: { staffId: maya }, orderBy: { createdAt: 'desc' }, skip: 1 })).id;
      // A session may not expire others.
      expect((await expire(bearer(t3), { session_id: s1 })).json().code).toBe('SESSION_SCOPE');
      // Another business's key cannot see it.
      expect((await expire({ 'x-api-key': b.apiKey }, { session_id: s1 })).json().code).toBe('SESSION_NOT_FOUND');
      expect((await expire({ 'x-api-key': b.apiKey }, { staff_id: maya })).json().code).toBe('STAFF_NOT_FOUND');
      expect((await expire({ 'x-api-key': service }, {})).statusCode).toBe(422);
      expect((await expire({ 'x-api-key': service }, { session_id: s1 })).json().session_ids).toEqual([s1]);
      expect((await locations('tok-a', bearer(t1))).statusCode).toBe(401);
      expect((await locations('tok-a', bearer(t2))).statusCode).toBe(200);
      const all = await expire({ 'x-api-key': a.apiKey }, { staff_id: maya });
      expect(all.json().expired).toBeGreaterThanOrEqual(1);
      expect((await locations('tok-a', bearer(t2))).statusCode).toBe(401);
      expect((await locations('tok-a', bearer(t3))).statusCode).toBe(200);
    });
  });

  describe('graphql-ws', () => {
    it('accepts the token in connectionParams and closes the open subscription (4401) when the session is expired', async () => {
      const tok = await token();
      const sub = subscribe({ connectionParams: { Authorization: `Bearer ${tok}` }, after: await latest() });
      await publish('tok-a', 1);
      await waitFor('the event', () => sub.events.length === 1);
      expect(sub.error()).toBeNull();

      expect((await expire(bearer(tok))).json().expired).toBe(1);
      const closed = await sub.closed;
      expect(closed).toEqual({ code: 4401, reason: 'Session revoked' });
      await publish('tok-a', 2);
      await quietFor(100, 'no event after the socket closed');
      expect(sub.events).toEqual([1]);
    });

    it('accepts the omega_session cookie on the upgrade request', async () => {
      const tok = await token();
      const sub = subscribe({ headers: { cookie: `omega_session=${tok}` }, after: await latest() });
      await publish('tok-a', 3);
      await waitFor('the event', () => sub.events.length === 1);
      await expire({ 'x-api-key': a.apiKey }, { session_id: ((await authenticateSessionToken(t.deps, tok)) as { sessionId: string }).sessionId });
      expect((await sub.closed).code).toBe(4401);
    });

    it('closes the socket when the token expires', async () => {
      const tok = await token(maya, { ttl_seconds: 2 });
      const sub = subscribe({ connectionParams: { Authorization: `Bearer ${tok}` } });
      const started = Date.now();
      expect(await sub.closed).toEqual({ code: 4401, reason: 'Session expired' });
      expect(Date.now() - started).toBeGreaterThan(1000);
    });

    it('refuses a revoked token (4403) and another business’s subscription', async () => {
      const tok = await token();
      await expire(bearer(tok));
      const refused = subscribe({ connectionParams: { Authorization: `Bearer ${tok}` } });
      expect((await refused.closed).code).toBe(4403);
      const other = subscribe({ connectionParams: { Authorization: `Bearer ${await token()}` } }, 'tok-b');
      await waitFor('the subscription error', () => other.error() !== null);
      expect(JSON.stringify(other.error())).toMatch(/FORBIDDEN/);
    });

    it('closes a socket opened with an API key when that key is revoked', async () => {
      const { key, id } = await (async () => {
        const res = await gql('mutation { createApiKey(input: { name: "ws", businessId: "tok-a" }) { key apiKey { apiKeyId } } }', { 'x-api-key': service });
        return { key: res.json().data.createApiKey.key as string, id: res.json().data.createApiKey.apiKey.apiKeyId as string };
      })();
      const sub = subscribe({ connectionParams: { 'X-API-KEY': key } });
      await sub.connected;
      await gql('mutation ($id: String!) { revokeApiKey(input: { id: $id }) { revokedAt } }', { 'x-api-key': service }, { id });
      expect(await sub.closed).toEqual({ code: 4401, reason: 'API key revoked' });
    });
  });
});
