// The real app on a database of this file's own: real pool, Prisma, LISTEN/NOTIFY bus and routes.
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.js';
import { createDeps, type DepsOptions } from '../../src/createDeps.js';
import { createPool } from '../../src/db/pool.js';
import type { Channels } from '../../src/channels/types.js';
import type { PacingConfig, SendingConfig } from '../../src/config.js';
import { DEFAULT_PACING_RATES } from '../../src/domain/sending/pacing/pacer.js';
import type { Clock, Deps } from '../../src/domain/deps.js';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  db: TestDatabase;
  deps: Deps;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Sandbox reports come at once in tests; no default senders (locations carry their own). */
// Pacing off: tests' "live" providers are msw or the fake Twilio, which OMEGA_PACING=auto could
// not tell from the real ones (Resend has no base URL); test/sending/pacing.test.ts turns it on.
const SANDBOX_SENDING: SendingConfig = {
  maxAttempts: 10,
  messagingServiceSid: undefined,
  smsFrom: undefined,
  emailFrom: undefined,
  sandboxReportDelayMs: 0,
  pacing: { mode: 'off', rates: DEFAULT_PACING_RATES },
};

const quietLog = { warn: () => undefined, info: () => undefined, error: () => undefined };

export interface TestAppOptions {
  beforeReady?: (app: FastifyInstance) => void;
  /** Sending: providers (e.g. live Twilio/Resend adapters served by msw), attempts, a controllable clock. */
  channels?: Partial<Channels>;
  sending?: { maxAttempts: number; pacing?: PacingConfig };
  clock?: Clock;
  /** Onboarding and sessions: live Twilio/Resend credentials (served by msw), public URL (webhooks, Secure cookies), token secret and lifetime; webhook secrets and voice keys. */
  depsOptions?: Pick<
    DepsOptions,
    | 'publicBaseUrl'
    | 'twilio'
    | 'resend'
    | 'tokenSecret'
    | 'tokenTtlSeconds'
    | 'signInLinkTtlSeconds'
    | 'signInSessionTtlSeconds'
    | 'redisUrl'
    | 'webhooks'
    | 'voice'
    | 'phoneRegion'
    | 'outboundWebhooks'
    | 'outboundWebhookOverrides'
  >;
  /** Rate limit and GraphQL limits (defaults: 600/minute, depth 10, cost 5000). */
  appOptions?: Partial<Omit<AppOptions, 'logLevel'>>;
  /** Runs on the new database before the app is built; what it returns is added to appOptions (e.g. a key the app is built with). */
  beforeBuild?: (deps: Deps) => Promise<Partial<Omit<AppOptions, 'logLevel'>>>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const t = await startTestDeps(10, options.clock, {
    ...options.depsOptions,
    channels: options.channels,
    sending: options.sending ? { ...SANDBOX_SENDING, ...options.sending } : SANDBOX_SENDING,
  });
  const built = options.beforeBuild ? await options.beforeBuild(t.deps) : {};
  const app = await buildApp(t.deps, { logLevel: 'silent', publicBaseUrl: 'https://omega.test', ...options.appOptions, ...built });
  options.beforeReady?.(app);
  await app.ready();
  return {
    db: t.db,
    deps: t.deps,
    app,
    async close() {
      await app.close();
      await t.close();
    },
  };
}

/** The domain's dependencies on a database of this file's own, without the HTTP app (worker tests; startTestApp adds the app). */
export async function startTestDeps(poolSize = 8, clock?: Clock, depsOptions?: DepsOptions): Promise<{ db: TestDatabase; deps: Deps; close(): Promise<void> }> {
  const db = await createTestDatabase();
  const pool = createPool(db.url, poolSize, () => undefined);
  const deps = await createDeps({ url: db.url, pool }, quietLog, clock, depsOptions);
  return {
    db,
    deps,
    async close() {
      await deps.close();
      await pool.end();
      await db.drop();
    },
  };
}

export async function createBusiness(deps: Deps, id: string): Promise<{ id: string; apiKey: string }> {
  await deps.prisma.business.create({ data: { id, name: `Business ${id}` } });
  const { key } = await createApiKey(deps, { name: 'test', businessId: id });
  return { id, apiKey: key };
}

export async function createServiceKey(deps: Deps): Promise<string> {
  return (await createApiKey(deps, { name: 'test service key' })).key;
}
