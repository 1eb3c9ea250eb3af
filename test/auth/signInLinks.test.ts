// Sign-in links (issue 18) on real PostgreSQL: minted by a business key for its own staff or a
// service key for any, stored only as a hash, opened once by the web app's sign-in page (POST
// /auth/sign-in) which sets the httpOnly session cookie; that cookie then works for GraphQL and
// graphql-ws, and signing out with it ends the session and closes the socket (4401). Cross-origin
// sign-ins are refused (login CSRF).
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { pgTransaction } from '../../src/db/transaction.js';
import { hashSignInToken } from '../../src/domain/auth/signInToken.js';
import { publishInboxEvent } from '../../src/domain/inbox/publishInboxEvent.js';
import { createBusiness, createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';
import { runJobs } from '../helpers/jobs.js';
import { CRONTAB } from '../../src/worker/taskList.js';

const ORIGIN = 'https://omega.test';
const VIEWER = '{ viewer { kind businessId staffId sessionId } }';

/** The cookie's value from a Set-Cookie header. */
const sessionCookie = (setCookie: unknown) => /^omega_session=([^;]*)/.exec(String(setCookie))?.[1];

describe('sign-in links', () => {
  let t: TestApp;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  let service: string;
  let maya: string;
  let jonas: string;
  let bea: string;
  /** Milliseconds the app's clock is ahead of real time. */
  let clockOffset = 0;
  const clients: Client[] = [];
  let wsUrl: string;

  const mint = (body: Record<string, unknown>, key = a.apiKey) => t.app.inject({ method: 'POST', url: '/auth/sign-in-links', headers: { 'x-api-key': key }, payload: body });
  const tokenOf = (url: string) => new URL(url).hash.replace(/^#token=/, '');
  const link = async (staffId = maya, extra: Record<string, unknown> = {}) => {
    const res = await mint({ staff_id: staffId, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return tokenOf(res.json().url);
  };
  const signIn = (token: unknown, headers: Record<string, string> = { origin: ORIGIN }) => t.app.inject({ method: 'POST', url: '/auth/sign-in', headers, payload: { token } });
  const gql = (query: string, headers: Record<string, string>, variables: Record<string, unknown> = {}) =>
    t.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-graphql-yoga-csrf': '1', ...headers }, payload: { query, variables } });

  beforeAll(async () => {
    t = await startTestApp({ depsOptions: { publicBaseUrl: ORIGIN }, clock: { now: () => new Date(Date.now() + clockOffset) } });
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    wsUrl = `${address.replace('http', 'ws')}/graphql`;
    a = await createBusiness(t.deps, 'si-a');
    b = await createBusiness(t.deps, 'si-b');
    service = await createServiceKey(t.deps);
    maya = (await t.deps.prisma.staff.create({ data: { businessId: 'si-a', firstName: 'Maya', lastName: 'Lopez' } })).id;
    jonas = (await t.deps.prisma.staff.create({ data: { businessId: 'si-a', firstName: 'Jonas', active: false } })).id;
    bea = (await t.deps.prisma.staff.create({ data: { businessId: 'si-b', firstName: 'Bea' } })).id;
  });
  afterAll(async () => {
    await Promise.all(clients.map(async (c) => c.dispose()));
    await t?.close();
  });

  describe('minting', () => {
    it("a business key mints a link to the web app's sign-in page for its own staff; only the token's hash is kept", async () => {
      const before = Date.now();
      const res = await mint({ staff_id: maya });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toEqual({
        url: expect.stringMatching(/^https:\/\/omega\.test\/inbox\/sign-in#token=omega_sl_[A-Za-z0-9_-]{43}$/),
        expires_at: expect.any(String),
        staff_id: maya,
        business_id: 'si-a',
      });
      expect(res.headers['cache-control']).toBe('no-store');
      // Valid for OMEGA_SIGN_IN_LINK_TTL_SECONDS (900) by default.
      const ttl = (Date.parse(body.expires_at) - before) / 1000;
      expect(ttl).toBeGreaterThan(890);
      expect(ttl).toBeLessThanOrEqual(901);
      const token = tokenOf(body.url);
      const row = await t.deps.prisma.signInLink.findUniqueOrThrow({ where: { tokenHash: hashSignInToken(token)! } });
      expect(row).toMatchObject({ businessId: 'si-a', staffId: maya, usedAt: null, sessionId: null });
      expect(JSON.stringify(row)).not.toContain(token.slice(9));
      // A shorter validity when asked.
      const short = (await mint({ staff_id: maya, ttl_seconds: 60 })).json();
      expect(Date.parse(short.expires_at) - Date.now()).toBeLessThanOrEqual(60_000);
    });

    it("a service key mints for any business's staff, with or without business_id", async () => {
      expect((await mint({ staff_id: bea }, service)).json()).toMatchObject({ staff_id: bea, business_id: 'si-b' });
      expect((await mint({ staff_id: bea, business_id: 'si-b' }, service)).json()).toMatchObject({ staff_id: bea, business_id: 'si-b' });
      // The wrong business for the staff member: not found, as everywhere.
      expect((await mint({ staff_id: bea, business_id: 'si-a' }, service)).json().code).toBe('STAFF_NOT_FOUND');
      expect((await mint({ staff_id: bea, business_id: 'si-nope' }, service)).json().code).toBe('BUSINESS_NOT_FOUND');
    });

    it("refuses another business's staff (404), another business (403), sessions, inactive staff and bad input", async () => {
      const other = await mint({ staff_id: bea });
      expect(other.statusCode).toBe(404);
      expect(other.json().code).toBe('STAFF_NOT_FOUND');
      const otherBusiness = await mint({ staff_id: bea, business_id: 'si-b' });
      expect(otherBusiness.statusCode).toBe(403);
      expect(otherBusiness.json().code).toBe('BUSINESS_FORBIDDEN');
      const inactive = await mint({ staff_id: jonas });
      expect(inactive.statusCode).toBe(409);
      expect(inactive.json().code).toBe('STAFF_INACTIVE');
      expect((await mint({ staff_id: maya, ttl_seconds: 901 })).statusCode).toBe(422);
      expect((await mint({ staff_id: maya, ttl_seconds: 0 })).statusCode).toBe(422);
      const badId = await mint({ staff_id: 'maya' });
      expect(badId.statusCode).toBe(422);
      expect(badId.json().detail[0].loc).toEqual(['body', 'staff_id']);
      expect((await mint({})).statusCode).toBe(422);
      expect((await t.app.inject({ method: 'POST', url: '/auth/sign-in-links', payload: { staff_id: maya } })).statusCode).toBe(401);
      // A session (the cookie a link gives) cannot mint links.
      const cookie = sessionCookie((await signIn(await link())).headers['set-cookie']);
      const bySession = await t.app.inject({ method: 'POST', url: '/auth/sign-in-links', headers: { cookie: `omega_session=${cookie}`, origin: ORIGIN }, payload: { staff_id: maya } });
      expect(bySession.statusCode).toBe(403);
      expect(bySession.json().code).toBe('API_KEY_REQUIRED');
    });

    it('over GraphQL too (createSignInLink), with the same rules', async () => {
      const mutation = 'mutation ($input: CreateSignInLinkInput!) { createSignInLink(input: $input) { url expiresAt staffId businessId } }';
      const res = await gql(mutation, { 'x-api-key': a.apiKey }, { input: { businessId: 'si-a', staffId: maya, ttlSeconds: 120 } });
      const created = res.json().data.createSignInLink;
      expect(created).toMatchObject({ url: expect.stringMatching(/^https:\/\/omega\.test\/inbox\/sign-in#token=omega_sl_/), staffId: maya, businessId: 'si-a' });
      expect((await signIn(tokenOf(created.url))).statusCode).toBe(200);
      const other = await gql(mutation, { 'x-api-key': b.apiKey }, { input: { businessId: 'si-b', staffId: maya } });
      expect(other.json().errors[0].extensions.code).toBe('STAFF_NOT_FOUND');
      const forbidden = await gql(mutation, { 'x-api-key': b.apiKey }, { input: { businessId: 'si-a', staffId: maya } });
      // GraphQL's scope check (every field naming a business) answers first.
      expect(forbidden.json().errors[0].extensions.code).toBe('FORBIDDEN');
      const tooLong = await gql(mutation, { 'x-api-key': a.apiKey }, { input: { businessId: 'si-a', staffId: maya, ttlSeconds: 100_000 } });
      expect(tooLong.json().errors[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ loc: ['input', 'ttlSeconds'] }] });
    });
  });

  describe('signing in', () => {
    it('sets the httpOnly session cookie for a working day, records the session on the link, and the cookie works for GraphQL', async () => {
      const token = await link();
      const res = await signIn(token);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toEqual({ business_id: 'si-a', staff_id: maya, staff_name: 'Maya Lopez', expires_at: expect.any(String) });
      expect(JSON.stringify(body)).not.toMatch(/omega_sl_|eyJ/);
      const setCookie = String(res.headers['set-cookie']);
      expect(setCookie).toMatch(/; Max-Age=43200; /);
      expect(setCookie).toMatch(/; HttpOnly/);
      expect(setCookie).toMatch(/; SameSite=Lax/);
      expect(setCookie).toMatch(/; Secure/);
      expect(setCookie).toMatch(/; Path=\//);
      expect(res.headers['cache-control']).toBe('no-store');

      const row = await t.deps.prisma.signInLink.findUniqueOrThrow({ where: { tokenHash: hashSignInToken(token)! } });
      expect(row.usedAt).not.toBeNull();
      const session = await t.deps.prisma.session.findUniqueOrThrow({ where: { id: row.sessionId! } });
      expect(session).toMatchObject({ businessId: 'si-a', staffId: maya, apiKeyId: row.apiKeyId, revokedAt: null });
      expect(Math.abs(session.expiresAt.getTime() - Date.parse(body.expires_at))).toBeLessThan(1000);

      const cookie = `omega_session=${sessionCookie(setCookie)}`;
      const viewer = await gql(VIEWER, { cookie, origin: ORIGIN });
      expect(viewer.json()).toEqual({ data: { viewer: { kind: 'session', businessId: 'si-a', staffId: maya, sessionId: session.id } } });
    });

    it('signs in once: the second time is 410 SIGN_IN_LINK_USED, and of two at once exactly one wins', async () => {
      const token = await link();
      expect((await signIn(token)).statusCode).toBe(200);
      const again = await signIn(token);
      expect(again.statusCode).toBe(410);
      expect(again.json()).toEqual({ code: 'SIGN_IN_LINK_USED', detail: expect.stringMatching(/used already/) });
      expect(again.headers['set-cookie']).toBeUndefined();

      const raced = await link();
      const answers = await Promise.all(Array.from({ length: 5 }, () => signIn(raced)));
      expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 410, 410, 410, 410]);
      expect(await t.deps.prisma.session.count({ where: { signInLinks: { some: { tokenHash: hashSignInToken(raced)! } } } })).toBe(1);
    });

    it('an expired link is 410 SIGN_IN_LINK_EXPIRED', async () => {
      const token = await link(maya, { ttl_seconds: 60 });
      clockOffset = 61_000;
      try {
        const res = await signIn(token);
        expect(res.statusCode).toBe(410);
        expect(res.json().code).toBe('SIGN_IN_LINK_EXPIRED');
      } finally {
        clockOffset = 0;
      }
      // Still unused: it expired, it was not used.
      expect((await t.deps.prisma.signInLink.findUniqueOrThrow({ where: { tokenHash: hashSignInToken(token)! } })).usedAt).toBeNull();
    });

    it('the hourly prune_sign_in_links job deletes links a day past their expiry, used or not, and keeps the rest', async () => {
      const [old, recent, fresh] = [await link(), await link(), await link()];
      const hashOf = (token: string) => hashSignInToken(token)!;
      await t.deps.prisma.signInLink.update({ where: { tokenHash: hashOf(old) }, data: { expiresAt: new Date(Date.now() - 86_400_000 - 60_000), usedAt: new Date() } });
      await t.deps.prisma.signInLink.update({ where: { tokenHash: hashOf(recent) }, data: { expiresAt: new Date(Date.now() - 3_600_000) } });
      await t.deps.pool.query(`SELECT graphile_worker.add_job('prune_sign_in_links', '{}'::json)`);
      await runJobs(t.deps, { only: ['prune_sign_in_links'] });
      const left = await t.deps.prisma.signInLink.findMany({ where: { tokenHash: { in: [hashOf(old), hashOf(recent), hashOf(fresh)] } }, select: { tokenHash: true } });
      expect(left.map((l) => l.tokenHash).sort()).toEqual([hashOf(recent), hashOf(fresh)].sort());
      expect(CRONTAB).toMatch(/^17 \* \* \* \* prune_sign_in_links /m);
    });

    it('an unknown or garbage token is 401 SIGN_IN_LINK_INVALID; a missing or empty one 422', async () => {
      for (const token of ['nope', `omega_sl_${'A'.repeat(43)}`, 'omega_sl_short', `${'x'.repeat(500)}`, ' ']) {
        const res = await signIn(token);
        expect(res.statusCode, token).toBe(401);
        expect(res.json().code).toBe('SIGN_IN_LINK_INVALID');
      }
      expect((await signIn('')).statusCode).toBe(422);
      expect((await signIn(42)).statusCode).toBe(422);
      expect((await t.app.inject({ method: 'POST', url: '/auth/sign-in', headers: { origin: ORIGIN }, payload: {} })).statusCode).toBe(422);
    });

    it('a link of a key revoked since is 401 SIGN_IN_LINK_INVALID; a staff member deactivated since is 409 and the link stays unused', async () => {
      const created = (await gql('mutation { createApiKey(input: { name: "links", businessId: "si-a" }) { key apiKey { apiKeyId } } }', { 'x-api-key': service })).json().data.createApiKey;
      const token = tokenOf((await mint({ staff_id: maya }, created.key)).json().url);
      await gql('mutation ($id: String!) { revokeApiKey(input: { id: $id }) { revokedAt } }', { 'x-api-key': service }, { id: created.apiKey.apiKeyId });
      const revoked = await signIn(token);
      expect(revoked.statusCode).toBe(401);
      expect(revoked.json()).toEqual({ code: 'SIGN_IN_LINK_INVALID', detail: expect.stringMatching(/revoked/) });

      const staff = (await t.deps.prisma.staff.create({ data: { businessId: 'si-a', firstName: 'Leaving' } })).id;
      const leaving = await link(staff);
      await t.deps.prisma.staff.update({ where: { id: staff }, data: { active: false } });
      const inactive = await signIn(leaving);
      expect(inactive.statusCode).toBe(409);
      expect(inactive.json().code).toBe('STAFF_INACTIVE');
      expect((await t.deps.prisma.signInLink.findUniqueOrThrow({ where: { tokenHash: hashSignInToken(leaving)! } })).usedAt).toBeNull();
    });

    it("refuses another origin's page (login CSRF), and leaves the link usable", async () => {
      const token = await link();
      const foreign: Record<string, string>[] = [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }];
      for (const headers of foreign) {
        const res = await signIn(token, headers);
        expect(res.statusCode, JSON.stringify(headers)).toBe(403);
        expect(res.json().code).toBe('CSRF_ORIGIN_FORBIDDEN');
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      // The page of this origin, or a client that is no browser page (no Origin), may.
      expect((await signIn(token, { origin: ORIGIN })).statusCode).toBe(200);
      expect((await signIn(await link(), {})).statusCode).toBe(200);
    });
  });

  describe('signing out', () => {
    it('POST /session/expire with only the cookie, from the same origin, ends the session, clears the cookie and closes its graphql-ws socket (4401)', async () => {
      const cookie = `omega_session=${sessionCookie((await signIn(await link())).headers['set-cookie'])}`;
      let resolveClosed!: (e: { code: number; reason: string }) => void;
      const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
      let resolveConnected!: () => void;
      const connected = new Promise<void>((r) => (resolveConnected = r));
      // A browser sends the cookie and its page's Origin on the upgrade request.
      class BrowserSocket extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { cookie, origin: ORIGIN } });
        }
      }
      const client = createClient({
        url: wsUrl,
        webSocketImpl: BrowserSocket,
        lazy: false,
        retryAttempts: 0,
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
      const errors: unknown[] = [];
      const events: unknown[] = [];
      // After the newest event: it gets every one published later, whenever the subscription starts.
      const cursor = (await t.deps.pool.query(`SELECT coalesce((SELECT xid || ':' || id FROM inbox_events WHERE business_id = 'si-a' ORDER BY xid DESC, id DESC LIMIT 1), '0:0') AS c`)).rows[0]
        .c as string;
      client.subscribe(
        { query: 'subscription ($after: String) { inboxEvents(businessId: "si-a", after: $after) { type payload } }', variables: { after: cursor } },
        { next: (m) => events.push(m), error: (e) => errors.push(e), complete: () => undefined },
      );
      await connected;
      // The cookie's session gets its business's live events.
      await pgTransaction(t.deps, (sql) => publishInboxEvent(sql, { businessId: 'si-a', type: 'conversation.updated', payload: { n: 1 } }));
      await waitFor('the live event', () => events.length === 1);
      expect(events).toEqual([{ data: { inboxEvents: { type: 'conversation.updated', payload: { n: 1 } } } }]);

      const res = await t.app.inject({ method: 'POST', url: '/session/expire', headers: { cookie, origin: ORIGIN, 'content-type': 'application/json' }, payload: '{}' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ expired: 1, session_ids: [expect.any(String)] });
      expect(String(res.headers['set-cookie'])).toMatch(/^omega_session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax$/);
      expect(await closed).toEqual({ code: 4401, reason: 'Session revoked' });
      // graphql-ws ends an active subscription with the close itself (its error sink gets the
      // CloseEvent, before or after the client's `closed`): nothing else may have gone wrong.
      await waitFor('the subscription to end with the close', () => errors.length === 1);
      expect(errors.map((e) => (e as { code?: number }).code)).toEqual([4401]);
      const after = await gql(VIEWER, { cookie, origin: ORIGIN });
      expect(after.statusCode).toBe(401);
      expect(after.json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });

    it("another origin's page cannot sign the browser out", async () => {
      const cookie = `omega_session=${sessionCookie((await signIn(await link())).headers['set-cookie'])}`;
      const res = await t.app.inject({ method: 'POST', url: '/session/expire', headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' }, payload: '{}' });
      expect(res.statusCode).toBe(403);
      expect((await gql(VIEWER, { cookie, origin: ORIGIN })).json().data.viewer.kind).toBe('session');
    });
  });
});
