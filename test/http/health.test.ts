import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createChannels } from '../../src/channels/createChannels.js';
import { createProvisioning } from '../../src/provisioning/createProvisioning.js';
import { createPrisma } from '../../src/db/prisma.js';
import { systemClock, type Deps } from '../../src/domain/deps.js';
import type { InboxEventBus } from '../../src/events/inboxEventBus.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { pgSql } from '../../src/db/sqlHandle.js';
import { createGroupCommit } from '../../src/domain/sending/groupCommit.js';
import { createInboxTails } from '../../src/domain/inbox/inboxTails.js';
import { createMetrics } from '../../src/observability/createMetrics.js';
import { createReadiness } from '../../src/observability/createReadiness.js';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('GET /health answers version and uptime without credentials', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', service: 'omega', version: expect.stringMatching(/^\d+\.\d+\.\d+/), uptime_seconds: expect.any(Number) });
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('GET /health/db answers the round-trip time', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/db' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ok');
    expect(body.latency_ms).toBeGreaterThan(0);
    expect(body.latency_ms).toBeLessThan(2000);
    expect(body.server_version).toMatch(/^\d+/);
  });

  it('the GraphQL equivalents answer too', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ health { status version } databaseHealth { status latencyMs } }' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ health: { status: 'ok' }, databaseHealth: { status: 'ok', latencyMs: expect.any(Number) } });
  });
});

describe('health with the database stopped', () => {
  // A server that is not running: a port where nothing listens refuses every connection,
  // exactly as a stopped PostgreSQL does.
  let pool: pg.Pool;
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: 'postgresql://postgres@127.0.0.1:1/omega', connectionTimeoutMillis: 1000 });
    pool.on('error', () => undefined);
    const events: InboxEventBus = { watch: () => () => undefined, watchAny: () => () => undefined, close: async () => undefined };
    const deps: Deps = {
      pool,
      sql: pgSql(pool),
      groupCommit: createGroupCommit(),
      metrics: createMetrics({ defaultMetrics: false }),
      readiness: createReadiness(pgSql(pool), { expectedMigrations: [] }),
      prisma: createPrisma(pool),
      clock: systemClock,
      events,
      inboxTails: createInboxTails(),
      auth: {
        tokenKey: new TextEncoder().encode('x'.repeat(32)),
        tokenTtlSeconds: 3600,
        signInLinkTtlSeconds: 900,
        signInSessionTtlSeconds: 43_200,
        signInPageUrl: 'https://omega.test/inbox/sign-in',
        secureCookies: true,
      },
      provisioning: createProvisioning({ publicBaseUrl: 'https://omega.test' }),
      revocations: { watch: () => () => undefined, close: async () => undefined },
      channels: createChannels({}),
      sending: { maxAttempts: 10 },
      phoneRegion: 'US',
      outboundWebhooks: { allowPrivate: false, requireHttps: true, secretGraceMs: 86_400_000, disableAfterMs: 3 * 86_400_000, secretKey: new Uint8Array(32), timeoutMs: 10_000 },
    };
    app = await buildApp(deps, { logLevel: 'silent', publicBaseUrl: 'https://omega.test' });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await pool.end();
  });

  it('GET /health still answers 200 (liveness does not need the database)', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('GET /health/db answers 503 with a clear body', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/db' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ code: 'DATABASE_UNAVAILABLE', detail: expect.stringMatching(/^The database is unreachable: /) });
  });

  it('an authenticated route answers 503, not 500, when the key cannot be checked', async () => {
    const res = await app.inject({ method: 'GET', url: '/businesses/demo/locations', headers: { 'x-api-key': 'omega_bk_whatever_value' } });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('DATABASE_UNAVAILABLE');
  });

  it('GraphQL databaseHealth errors with code DATABASE_UNAVAILABLE', async () => {
    const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ databaseHealth { status } }' } });
    expect(res.json().errors[0].extensions.code).toBe('DATABASE_UNAVAILABLE');
  });
});
