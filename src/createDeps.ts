import type { Config } from './config.js';
import type { Pool } from './db/pool.js';
import { createChannels } from './channels/createChannels.js';
import type { Channels } from './channels/types.js';
import { createPrisma } from './db/prisma.js';
import { pgSql } from './db/sqlHandle.js';
import { ensureInstanceSecret } from './db/sql/ensureInstanceSecret.js';
import { notifyChannel } from './db/sql/notifyChannel.js';
import { insertSandboxSms } from './db/sql/insertSandboxSms.js';
import { selectSandboxSms } from './db/sql/selectSandboxSms.js';
import { systemClock, type Clock, type Deps } from './domain/deps.js';
import { createGroupCommit } from './domain/sending/groupCommit.js';
import { createPacer, DEFAULT_PACING_RATES } from './domain/sending/pacing/pacer.js';
import { createInboxNotifier } from './events/createInboxNotifier.js';
import { createJobWaker } from './events/createJobWaker.js';
import { startInboxEventBus, type BusLogger } from './events/inboxEventBus.js';
import { startRevocationBus } from './events/revocationBus.js';
import { createInboxTails } from './domain/inbox/inboxTails.js';
import { createProvisioning } from './provisioning/createProvisioning.js';
import { createVoiceSettings, createWebhookSettings } from './createProviderSettings.js';
import { deriveSecretKey } from './domain/outboundWebhooks/secretBox.js';
import { readMigrations } from './db/migrate.js';
import { instrumentChannels } from './channels/instrumentChannels.js';
import { createMetrics, type Metrics } from './observability/createMetrics.js';
import { createReadiness } from './observability/createReadiness.js';
import type { Tracer } from './observability/tracer.js';

/** The configuration the domain's dependencies read; every field has a development default. */
export type DepsOptions = Partial<
  Pick<
    Config,
    | 'publicBaseUrl'
    | 'redisUrl'
    | 'twilio'
    | 'resend'
    | 'tokenSecret'
    | 'tokenTtlSeconds'
    | 'signInLinkTtlSeconds'
    | 'signInSessionTtlSeconds'
    | 'sending'
    | 'webhooks'
    | 'voice'
    | 'phoneRegion'
    | 'outboundWebhooks'
  >
> & {
  /** Ready-made providers (tests: live Twilio/Resend adapters pointed at msw); default: built from the config above. */
  channels?: Partial<Channels>;
  /** Outbound webhook settings no variable sets (tests: short retry delays and leases). */
  outboundWebhookOverrides?: Partial<Deps['outboundWebhooks']>;
  /** The process's metrics (default: a new registry of its own, with Node's process metrics). */
  metrics?: Metrics;
  /** OpenTelemetry's tracer when tracing is on (startTracing): sends become spans with their message id. */
  tracer?: Tracer | undefined;
};

/** The domain's dependencies over an open pool. close() releases what this created (not the pool). */
export async function createDeps(db: { url: string; pool: Pool }, log: BusLogger, clock: Clock = systemClock, options: DepsOptions = {}): Promise<Deps & { close(): Promise<void> }> {
  const prisma = createPrisma(db.pool);
  const publicBaseUrl = options.publicBaseUrl ?? 'http://127.0.0.1:4000';
  // Tokens must verify in every process and after restarts: without OMEGA_TOKEN_SECRET the key is
  // a secret generated once per database and kept there.
  const tokenSecret = options.tokenSecret ?? (await ensureInstanceSecret(pgSql(db.pool), 'session_token_hs256'));
  const events = await startInboxEventBus({ databaseUrl: db.url, redisUrl: options.redisUrl }, log);
  const revocations = await startRevocationBus(db.url, log);
  // Announces the inbox events written through `sql` and its transactions (src/db/transaction.ts); closed with the deps.
  const inboxNotifier = createInboxNotifier(events.notify, log);
  // Wakes the workers after send requests commit (addJobs NOTIFYs nothing in the transaction).
  // notifyChannel: its own tiny transaction, without waiting for a WAL flush.
  const jobWaker = createJobWaker((channel, payload) => notifyChannel(pgSql(db.pool), channel, [payload]), log);
  const sql = pgSql(db.pool, inboxNotifier.announce, jobWaker.wake);
  const groupCommit = createGroupCommit();
  const metrics = options.metrics ?? createMetrics();
  metrics.sources.pool = db.pool;
  // The migrations this build ships, listed once: readiness compares them with the database's.
  const expectedMigrations = (await readMigrations()).map((m) => m.name);
  return {
    prisma,
    pool: db.pool,
    sql,
    clock,
    groupCommit,
    events,
    inboxTails: createInboxTails(),
    auth: {
      tokenKey: new TextEncoder().encode(tokenSecret),
      tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
      signInLinkTtlSeconds: options.signInLinkTtlSeconds ?? 900,
      signInSessionTtlSeconds: options.signInSessionTtlSeconds ?? 43_200,
      signInPageUrl: `${publicBaseUrl.replace(/\/+$/, '')}/inbox/sign-in`,
      secureCookies: publicBaseUrl.startsWith('https:'),
    },
    provisioning: createProvisioning({ publicBaseUrl, twilio: options.twilio, resend: options.resend }),
    revocations,
    // Every provider call is timed (omega_provider_call_duration_seconds), given channels too.
    channels: instrumentChannels(
      {
        // The sandbox SMS provider keeps what it accepts in the database, so it survives a worker crash.
        ...createChannels({ ...options, publicBaseUrl }, { sandboxOutbox: { add: (sms) => insertSandboxSms(sql, sms), list: (q) => selectSandboxSms(sql, q) } }),
        ...options.channels,
      },
      (call) => metrics.providerCallDuration.observe({ provider: call.provider, operation: call.operation, outcome: call.ok ? 'ok' : 'error' }, call.seconds),
      options.tracer,
    ),
    sending: {
      maxAttempts: options.sending?.maxAttempts ?? 10,
      // Live: real Twilio (no OMEGA_TWILIO_API_BASE_URL) and real Resend; auto mode paces only those.
      pacing: createPacer({
        mode: options.sending?.pacing?.mode ?? 'auto',
        rates: options.sending?.pacing?.rates ?? DEFAULT_PACING_RATES,
        live: { sms: Boolean(options.twilio && !options.twilio.apiBaseUrl && !options.channels?.sms), email: Boolean(options.resend && !options.channels?.email) },
      }),
    },
    phoneRegion: options.phoneRegion ?? 'US',
    webhooks: createWebhookSettings({ ...options, publicBaseUrl }),
    voice: createVoiceSettings({ ...options, publicBaseUrl }),
    outboundWebhooks: {
      allowPrivate: options.outboundWebhooks?.allowPrivate ?? false,
      requireHttps: publicBaseUrl.startsWith('https:'),
      secretGraceMs: (options.outboundWebhooks?.secretGraceHours ?? 24) * 3_600_000,
      disableAfterMs: (options.outboundWebhooks?.disableAfterDays ?? 3) * 86_400_000,
      secretKey: deriveSecretKey(tokenSecret),
      timeoutMs: 10_000,
      ...options.outboundWebhookOverrides,
    },
    metrics,
    readiness: createReadiness(sql, { expectedMigrations }),
    ...(options.tracer ? { tracer: options.tracer } : {}),
    async close() {
      // Writes already submitted finish (and announce their events) before anything closes.
      await groupCommit.idle();
      await inboxNotifier.close();
      await jobWaker.close();
      await revocations.close();
      await events.close();
      await prisma.$disconnect();
    },
  };
}
