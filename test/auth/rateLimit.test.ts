import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp } from '../../src/app.js';
import { createDeps } from '../../src/createDeps.js';
import { createPool } from '../../src/db/pool.js';
import { createBusiness, createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';

const LIMIT = 5;

describe('rate limits (PostgreSQL-backed, per key, per IP without one)', () => {
  let t: TestApp;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  const get = (headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') => t.app.inject({ method: 'GET', url: '/businesses/rl-a/locations', headers, remoteAddress });

  beforeAll(async () => {
    t = await startTestApp({ appOptions: { rateLimitPerMinute: LIMIT } });
    a = await createBusiness(t.deps, 'rl-a');
    b = await createBusiness(t.deps, 'rl-b');
  });
  afterAll(() => t.close());

  it(`allows ${LIMIT} requests a minute per key, then answers 429 with Retry-After and RATE_LIMITED`, async () => {
    for (let i = 0; i < LIMIT; i++) {
      const ok = await get({ 'x-api-key': a.apiKey });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['x-ratelimit-limit']).toBe(String(LIMIT));
      expect(ok.headers['x-ratelimit-remaining']).toBe(String(LIMIT - i - 1));
    }
    const refused = await get({ 'x-api-key': a.apiKey });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ code: 'RATE_LIMITED', detail: expect.stringMatching(/Too many requests/) });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);
  });

  it("counts GraphQL on the same key, and answers there with the same 429 in GraphQL's shape", async () => {
    const res = await t.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': a.apiKey }, payload: { query: '{ viewer { kind } }' } });
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(res.json().errors[0].extensions.code).toBe('RATE_LIMITED');
  });

  it('keeps other keys unaffected, and health checks unlimited', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/businesses/rl-b/locations', headers: { 'x-api-key': b.apiKey } })).statusCode).toBe(200);
    for (let i = 0; i < LIMIT + 2; i++) expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('limits requests without valid credentials per client IP', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await get({ 'x-api-key': `omega_bk_guess_${i}` }, '10.0.0.7')).statusCode).toBe(401);
    expect((await get({ 'x-api-key': 'omega_bk_guess_x' }, '10.0.0.7')).statusCode).toBe(429);
    expect((await get({}, '10.0.0.8')).statusCode).toBe(401);
  });

  it('limits sign-ins per client IP without reading credentials: a stale session cookie does not stand in the way', async () => {
    const signIn = (remoteAddress: string) =>
      t.app.inject({ method: 'POST', url: '/auth/sign-in', remoteAddress, headers: { cookie: 'omega_session=stale.expired.token' }, payload: { token: 'omega_sl_not-a-link' } });
    for (let i = 0; i < LIMIT; i++) {
      const res = await signIn('10.0.0.9');
      expect(res.statusCode, res.body).toBe(401);
      expect(res.json().code).toBe('SIGN_IN_LINK_INVALID');
    }
    const refused = await signIn('10.0.0.9');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('RATE_LIMITED');
    expect((await signIn('10.0.0.10')).json().code).toBe('SIGN_IN_LINK_INVALID');
    // The page's other public calls stay unlimited.
    for (let i = 0; i < LIMIT + 1; i++) expect((await t.app.inject({ method: 'GET', url: '/auth/sign-in-options', remoteAddress: '10.0.0.9' })).statusCode).toBe(200);
  });

  it('is shared by every process on the database', async () => {
    const service = await createServiceKey(t.deps);
    const pool = createPool(t.db.url, 3, () => undefined);
    const deps = await createDeps({ url: t.db.url, pool }, { warn: () => undefined });
    const second = await buildApp(deps, { logLevel: 'silent', publicBaseUrl: 'https://omega.test', rateLimitPerMinute: LIMIT });
    try {
      for (let i = 0; i < LIMIT; i++) {
        const app = i % 2 ? second : t.app;
        expect((await app.inject({ method: 'GET', url: '/businesses/rl-b/locations', headers: { 'x-api-key': service } })).statusCode).toBe(200);
      }
      expect((await second.inject({ method: 'GET', url: '/businesses/rl-b/locations', headers: { 'x-api-key': service } })).statusCode).toBe(429);
      expect((await t.app.inject({ method: 'GET', url: '/businesses/rl-b/locations', headers: { 'x-api-key': service } })).statusCode).toBe(429);
    } finally {
      await second.close();
      await deps.close();
      await pool.end();
    }
  });

  it('counts graphql-ws subscribe messages on the key too', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const client = createClient({ url: `${address.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { 'X-API-KEY': a.apiKey } });
    try {
      const error = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: 'subscription { inboxEvents(businessId: "rl-a") { type } }' }, { next: () => undefined, error: resolve, complete: () => resolve(null) });
      });
      expect(JSON.stringify(error)).toMatch(/RATE_LIMITED/);
    } finally {
      await client.dispose();
    }
  });

  it('lets requests through again as the window slides', async () => {
    // Move the key's counts one window into the past: the previous window weighs less as time passes.
    await t.deps.pool.query(`UPDATE rate_limit_counters SET window_start = window_start - interval '2 minutes'`);
    expect((await get({ 'x-api-key': a.apiKey })).statusCode).toBe(200);
  });

  it('counts a client behind a trusted proxy by its X-Forwarded-For address, and ignores the header from anyone else (OMEGA_TRUST_PROXY)', async () => {
    const behind = await buildApp(t.deps, { logLevel: 'silent', publicBaseUrl: 'https://omega.test', rateLimitPerMinute: LIMIT, trustProxy: ['10.9.0.1'] });
    const viaProxy = (client: string) => behind.inject({ method: 'GET', url: '/businesses/rl-a/locations', remoteAddress: '10.9.0.1', headers: { 'x-forwarded-for': client } });
    const direct = (claimed: string) => behind.inject({ method: 'GET', url: '/businesses/rl-a/locations', remoteAddress: '10.9.0.2', headers: { 'x-forwarded-for': claimed } });
    try {
      // Through the proxy: one client reaches its limit, another client of the same proxy does not.
      for (let i = 0; i < LIMIT; i++) expect((await viaProxy('203.0.113.1')).statusCode).toBe(401);
      expect((await viaProxy('203.0.113.1')).statusCode).toBe(429);
      expect((await viaProxy('203.0.113.2')).statusCode).toBe(401);
      // Not the proxy: a new X-Forwarded-For each time does not make a new client.
      for (let i = 0; i < LIMIT; i++) expect((await direct(`198.51.100.${i}`)).statusCode).toBe(401);
      expect((await direct('198.51.100.99')).statusCode).toBe(429);
    } finally {
      await behind.close();
    }
  });
});
