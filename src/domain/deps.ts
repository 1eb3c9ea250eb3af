import type { Channels } from '../channels/types.js';
import type { FetchReceivedEmail } from '../channels/resend/fetchReceivedEmail.js';
import type { FetchTwilioMessage } from '../channels/twilio/fetchTwilioMessage.js';
import type { SignVoiceToken } from '../channels/twilio/signVoiceToken.js';
import type { Pool } from '../db/pool.js';
import type { PrismaClient } from '../db/prisma.js';
import type { Sql } from '../db/sqlHandle.js';
import type { InboxEventBus } from '../events/inboxEventBus.js';
import type { InboxTails } from './inbox/inboxTails.js';
import type { RevocationBus } from '../events/revocationBus.js';
import type { Metrics } from '../observability/createMetrics.js';
import type { Readiness } from '../observability/createReadiness.js';
import type { Tracer } from '../observability/tracer.js';
import type { Provisioning } from '../provisioning/types.js';
import type { PhoneRegion } from './contacts/normalizePhone.js';
import type { GroupCommit } from './sending/groupCommit.js';
import type { Pacer } from './sending/pacing/pacer.js';

/** What every domain operation may use; passed explicitly as the first argument. */
export interface Deps {
  prisma: PrismaClient;
  /** The shared pool: pgTransaction and graphile-worker run on it; statements run on `sql`. */
  pool: Pool;
  /** Autocommit statements of src/db/sql on the pool; the inbox events they write are announced at once. */
  sql: Sql;
  clock: Clock;
  /**
   * This process's group-commit lanes (createGroupCommit): concurrent writes of one lane share a
   * transaction. A copy of Deps ({ ...deps, x }) shares them: a batch runs with the deps of whoever
   * submitted its first item, so give a copy that changes what batches use its own createGroupCommit().
   */
  groupCommit: GroupCommit;
  /** Wakes inbox subscribers when their business has new events (LISTEN/NOTIFY, or Redis with REDIS_URL). */
  events: InboxEventBus;
  /** This process's shared readers of the inbox event log, one per business with subscriptions (inboxTails.ts). */
  inboxTails: InboxTails;
  /** Session tokens: signing key, lifetime, cookie policy. */
  auth: AuthSettings;
  /** Phone numbers and email domains for onboarding (live providers or sandbox). */
  provisioning: Provisioning;
  /** Revocations of sessions and API keys from every process (open sockets close on them). */
  revocations: RevocationBus;
  /** SMS and email providers: live Twilio / Resend when configured, the local sandbox otherwise. */
  channels: Channels;
  sending: SendingSettings;
  /** OMEGA_DEFAULT_PHONE_REGION: the country national phone numbers are read in (normalizePhone). */
  phoneRegion: PhoneRegion;
  /** Provider webhooks and delivery reconciliation (createDeps sets it; absent: every webhook is refused with 403). */
  webhooks?: WebhookSettings;
  /** Twilio Voice for the browser client (createDeps sets it; absent: voice tokens and call TwiML are unavailable). */
  voice?: VoiceSettings;
  /** Outbound webhooks of businesses: secrets, address policy, retries. */
  outboundWebhooks: OutboundWebhookSettings;
  /** This process's Prometheus registry and metrics (GET /metrics); observing one is a counter or histogram update. */
  metrics: Metrics;
  /** GET /health/ready: database, migrations, this process's worker heartbeat; setDraining() at shutdown. */
  readiness: Readiness;
  /** OpenTelemetry's tracer when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT); absent: nothing is traced. */
  tracer?: Tracer;
}

export interface OutboundWebhookSettings {
  /** OMEGA_WEBHOOK_ALLOW_PRIVATE: endpoints may resolve to loopback, private, link-local or metadata addresses. */
  allowPrivate: boolean;
  /** PUBLIC_BASE_URL is https: endpoints must be https too. */
  requireHttps: boolean;
  /** After a rotation the previous secret still signs this long (OMEGA_WEBHOOK_SECRET_GRACE_HOURS). */
  secretGraceMs: number;
  /** An endpoint failing this long without a success is disabled (OMEGA_WEBHOOK_DISABLE_AFTER_DAYS). */
  disableAfterMs: number;
  /** AES-256-GCM key of the endpoints' signing secrets at rest, derived from the session token key. */
  secretKey: Uint8Array;
  /** How long one delivery waits for an answer. */
  timeoutMs: number;
  /** Waits before each retry of a failed delivery (default: retrySchedule.ts's RETRY_DELAYS_MS; tests shorten them). */
  retryDelaysMs?: readonly number[];
  /** A deliverer's lease on its endpoint, renewed with each attempt (default 60 s; longer than timeoutMs). */
  leaseMs?: number;
}

export interface WebhookSettings {
  /** PUBLIC_BASE_URL: Twilio signs the public URL it called, and our callbacks are built from it. */
  publicBaseUrl: string;
  /** TWILIO_AUTH_TOKEN (Twilio signatures); null: Twilio webhooks cannot be verified and are refused. */
  twilioAuthToken: string | null;
  /** RESEND_WEBHOOK_SECRET (svix signatures); null: Resend webhooks are refused. */
  resendWebhookSecret: string | null;
  /** Resend's API for the content of received emails (the webhook has only metadata); null without RESEND_API_KEY. */
  fetchReceivedEmail: FetchReceivedEmail | null;
  /** Twilio's API for a message's current status (reconciliation); null without Twilio credentials. */
  fetchTwilioMessage: FetchTwilioMessage | null;
  /** OMEGA_SMS_RECONCILE_AFTER_SECONDS: SMS without a final status this long are checked with Twilio. */
  smsReconcileAfterSeconds: number;
}

export interface VoiceSettings {
  /** Signs a Twilio access token (VoiceGrant) for a browser identity. */
  signToken: SignVoiceToken;
  /** The TwiML app outgoing browser calls go through. */
  twimlAppSid: string;
  /** No TWILIO_API_KEY_SID: tokens are signed with sandbox values that Twilio refuses. */
  sandbox: boolean;
  /** OMEGA_VOICE_TOKEN_TTL_SECONDS: default and longest lifetime of a token. */
  tokenTtlSeconds: number;
  /** PUBLIC_BASE_URL: call TwiML points Twilio's callbacks here. */
  publicBaseUrl: string;
}

export interface SendingSettings {
  /**
   * OMEGA_SEND_MAX_ATTEMPTS of this process: the attempts its worker gives one send before the
   * message is failed. Jobs are queued with SEND_JOB_MAX_ATTEMPTS, so the worker's value governs.
   */
  maxAttempts: number;
  /** Per-sender pacing (OMEGA_PACING…); absent: nothing is paced and no pacing statement runs. */
  pacing?: Pacer;
}

export interface AuthSettings {
  /** HS256 key of session tokens (OMEGA_TOKEN_SECRET, else a secret kept in the database). */
  tokenKey: Uint8Array;
  /** Default (and longest) lifetime of a session token. */
  tokenTtlSeconds: number;
  /** Default (and longest) validity of a sign-in link (OMEGA_SIGN_IN_LINK_TTL_SECONDS). */
  signInLinkTtlSeconds: number;
  /** Lifetime of the browser session a sign-in link or the demo sign-in starts (OMEGA_SIGN_IN_SESSION_TTL_SECONDS). */
  signInSessionTtlSeconds: number;
  /** The web app's sign-in page (PUBLIC_BASE_URL/inbox/sign-in): a link is this with #token=…. */
  signInPageUrl: string;
  /** Session cookies carry Secure (PUBLIC_BASE_URL is https). */
  secureCookies: boolean;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
