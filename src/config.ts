// Reads and validates the environment once. The only file that touches process.env.
// Every variable is documented in README.md and .env.example.
import { readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import { isSupportedCountry } from 'libphonenumber-js';
import type { PhoneRegion } from './domain/contacts/normalizePhone.js';
import { exitWith } from './exitWith.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** Unset: an embedded PostgreSQL is started (see src/db/embedded.ts). */
  databaseUrl: string | undefined;
  /** Set: live inbox wake-ups travel over Redis pub/sub instead of PostgreSQL LISTEN/NOTIFY. */
  redisUrl: string | undefined;
  /** Where the embedded PostgreSQL keeps its data and the port it listens on. */
  embeddedPg: { dataDir: string; port: number };
  /** Public URL of this service, used for provider callbacks and webhook signatures. */
  publicBaseUrl: string;
  /** When set, a service-scope API key with exactly this value is created (or kept). */
  serviceApiKey: string | undefined;
  twilio:
    | {
        accountSid: string;
        authToken: string;
        /** HTTP_PROXY: Twilio API requests tunnel through it. */
        proxyUrl?: string | undefined;
        /** TWILIO_CA_BUNDLE's contents: certificates Twilio API requests trust (a TLS-inspecting proxy's). */
        ca?: Buffer | undefined;
        /** OMEGA_TWILIO_API_BASE_URL: every Twilio API request goes to this origin instead (a fake Twilio). */
        apiBaseUrl?: string | undefined;
      }
    | undefined;
  resend: { apiKey: string; webhookSecret: string | undefined } | undefined;
  logLevel: LogLevel;
  /** Run graphile-worker inside the API process (default) or only via `npm run worker`. */
  workerInProcess: boolean;
  workerConcurrency: number;
  /** A worker silent this long is dead: its jobs run again (release_dead_workers). */
  workerDeadAfterSeconds: number;
  /** Seed the demo business on start (default: true when the embedded database is used). */
  seedDemo: boolean;
  /**
   * GraphiQL may open with the demo business's key in its headers, and the inbox's sign-in page may
   * offer one-click sign-in as a demo staff member (rest-compat/sign-in.ts): only with the embedded database,
   * a loopback HOST and a loopback (or default) PUBLIC_BASE_URL; and then only for requests that
   * name a loopback host and came through no proxy (src/http/loopbackRequest.ts).
   */
  graphiqlDemoKey: boolean;
  pgPoolMax: number;
  /** HS256 key of session tokens; unset: a secret generated once and kept in the database. */
  tokenSecret: string | undefined;
  /** Default lifetime of a session token (a request may ask for less). */
  tokenTtlSeconds: number;
  /** How long a sign-in link is valid (a request may ask for less). */
  signInLinkTtlSeconds: number;
  /** Lifetime of a browser session started by a sign-in link or the demo sign-in: a working day. */
  signInSessionTtlSeconds: number;
  /** Requests per minute per API key or session (per IP without credentials); 0 turns it off. */
  rateLimitPerMinute: number;
  /** GraphQL operations deeper than this, or estimated to fetch more nodes than maxCost, are refused. */
  graphqlMaxDepth: number;
  graphqlMaxCost: number;
  /** Aliases, lexical tokens and directives per GraphQL operation (graphql-armor). */
  graphqlMaxAliases: number;
  graphqlMaxTokens: number;
  graphqlMaxDirectives: number;
  /**
   * Browser origins (scheme://host[:port]) allowed to call the API cross-origin, with credentials
   * (OMEGA_CORS_ORIGINS). Empty: no cross-origin access; pages Omega serves itself are same-origin.
   */
  corsOrigins: string[];
  /**
   * OMEGA_TRUST_PROXY: the proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (Fastify's
   * trustProxy): a list of addresses, CIDR ranges or the names loopback, linklocal, uniquelocal, or a
   * number of hops. false (unset): the TCP peer is the client. Behind nginx, per-IP rate limits
   * need it, or every client would count as the proxy.
   */
  trustProxy: false | number | string[];
  /** OMEGA_DEFAULT_PHONE_REGION: the country national phone numbers are read in (ISO 3166 alpha-2). */
  phoneRegion: PhoneRegion;
  /** Sending (SMS and email): attempts per send and the default senders. */
  sending: SendingConfig;
  /** Provider webhooks and delivery reconciliation. */
  webhooks: WebhooksConfig;
  /** Twilio Voice for the browser client (access tokens, TwiML app). */
  voice: VoiceConfig;
  /** Outbound webhooks: endpoints of businesses that receive their inbox events. */
  outboundWebhooks: OutboundWebhooksConfig;
  /** GET /metrics and GET /health/ready for scrapers and probes (README "Metrics and health"). */
  metricsEndpoint: MetricsConfig;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: traces go to this OTLP/HTTP collector; unset: no tracing (nothing of OpenTelemetry is loaded). */
  otelEndpoint: string | undefined;
}

export interface MetricsConfig {
  /** OMEGA_METRICS_TOKEN: /metrics on the main port answers `Authorization: Bearer <token>` only; unset: no /metrics there (404). */
  token: string | undefined;
  /** OMEGA_METRICS_PORT: a separate listener serving only /metrics and /health/ready; unset: none. */
  port: number | undefined;
  /** OMEGA_METRICS_HOST: the address that listener binds (default 127.0.0.1). */
  host: string;
}

export interface OutboundWebhooksConfig {
  /** OMEGA_WEBHOOK_ALLOW_PRIVATE: endpoints may be on loopback, private, link-local or metadata addresses (tests, on-prem). */
  allowPrivate: boolean;
  /** OMEGA_WEBHOOK_SECRET_GRACE_HOURS: after a rotation the previous secret still signs this long. */
  secretGraceHours: number;
  /** OMEGA_WEBHOOK_DISABLE_AFTER_DAYS: an endpoint failing this long without a success is disabled. */
  disableAfterDays: number;
}

export interface WebhooksConfig {
  /** Signing secret of the Resend webhook (whsec_...); unset: Resend webhooks are refused. */
  resendWebhookSecret: string | undefined;
  /** SMS still `sending`/`sent` this long after their last report are checked with Twilio's API. */
  smsReconcileAfterSeconds: number;
}

export interface VoiceConfig {
  /** Twilio API key that signs voice access tokens; unset: sandbox tokens Twilio will refuse. */
  apiKey: { sid: string; secret: string; twimlAppSid: string } | undefined;
  /** Lifetime of a voice access token. */
  tokenTtlSeconds: number;
}

export interface SendingConfig {
  /** Attempts of one send, transient failures included, before this process's worker marks the message failed. */
  maxAttempts: number;
  /** Twilio messaging service (MG...) used when a location has neither a number nor a service of its own. */
  messagingServiceSid: string | undefined;
  /** E.164 number used when a location has no sender and no messaging service is set. */
  smsFrom: string | undefined;
  /** From of email when a location has no address of its own: `Name <address>` or an address. */
  emailFrom: string | undefined;
  /** How long the sandbox providers wait before reporting delivery. */
  sandboxReportDelayMs: number;
  /** Per-sender pacing (README "Pacing"). */
  pacing?: PacingConfig;
}

/** OMEGA_PACING: auto paces live providers only (a fake Twilio or the sandbox is unpaced unless a sender has an override); on: every sender; off: none. */
export type PacingMode = 'auto' | 'on' | 'off';

export interface PacingConfig {
  mode: PacingMode;
  /** Default sends per second by sender kind (a sender's override wins). */
  rates: PacingRates;
}

export interface PacingRates {
  longCode: number;
  tollFree: number;
  shortCode: number;
  messagingService: number;
  email: number;
}

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}\nSee README.md ("Configuration") and .env.example.`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const int = (name: string, fallback: number, min: number, max: number, example: string): number => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${JSON.stringify(raw)} is not a whole number from ${min} to ${max} (example: ${name}=${example})`);
      return fallback;
    }
    return value;
  };
  const rate = (name: string, fallback: number): number => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0.1 || value > 1000) {
      problems.push(`${name}=${JSON.stringify(raw)} is not a rate from 0.1 to 1000 sends per second (example: ${name}=${fallback})`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = str(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name}=${JSON.stringify(raw)} is not a boolean (use true or false)`);
    return fallback;
  };
  const url = (name: string, value: string | undefined, protocols: string[], example: string): string | undefined => {
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
      return value;
    } catch {
      problems.push(`${name}=${JSON.stringify(value)} is not a ${protocols.join(' or ')} URL (example: ${name}=${example})`);
      return undefined;
    }
  };

  const port = int('PORT', 4000, 0, 65535, '4000');
  const host = str('HOST') ?? '127.0.0.1';
  const databaseUrl = url('DATABASE_URL', str('DATABASE_URL'), ['postgres:', 'postgresql:'], 'postgresql://user@127.0.0.1:5432/omega');
  const redisUrl = url('REDIS_URL', str('REDIS_URL'), ['redis:', 'rediss:'], 'redis://127.0.0.1:6379');
  const publicBaseUrlVar = url('PUBLIC_BASE_URL', str('PUBLIC_BASE_URL'), ['http:', 'https:'], 'https://omega.example.com');
  // An IPv6 HOST goes in brackets in a URL (http://[::1]:4000).
  const publicBaseUrl = (publicBaseUrlVar ?? `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');

  const serviceApiKey = str('OMEGA_SERVICE_API_KEY');
  if (serviceApiKey !== undefined && serviceApiKey.length < 24) {
    problems.push('OMEGA_SERVICE_API_KEY must be at least 24 characters (generate one with `openssl rand -hex 24`)');
  }

  const twilioSid = str('TWILIO_ACCOUNT_SID');
  const twilioToken = str('TWILIO_AUTH_TOKEN');
  if ((twilioSid === undefined) !== (twilioToken === undefined)) {
    problems.push('TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together: set both (live Twilio) or neither (sandbox)');
  } else if (twilioSid !== undefined && !/^AC[0-9a-fA-F]{32}$/.test(twilioSid)) {
    problems.push(`TWILIO_ACCOUNT_SID=${JSON.stringify(twilioSid)} is not an account SID (AC followed by 32 hex digits)`);
  }
  // How Twilio's API is reached; read only for live Twilio (a proxy set for other tools is not ours to check otherwise).
  const twilioLive = twilioSid !== undefined && twilioToken !== undefined;
  const twilioProxy = twilioLive ? url('HTTP_PROXY', str('HTTP_PROXY'), ['http:', 'https:'], 'http://proxy.internal:3128') : undefined;
  const caBundle = twilioLive ? str('TWILIO_CA_BUNDLE') : undefined;
  const twilioCa = caBundle === undefined ? undefined : readCaBundle(caBundle);
  if (caBundle !== undefined && twilioCa === undefined) problems.push(`TWILIO_CA_BUNDLE=${JSON.stringify(caBundle)} is not a readable PEM file`);
  // Where Twilio's API is: a fake Twilio for tests and benchmarks. Credentials sent anywhere but
  // Twilio or this machine would leak, so another host needs an explicit opt-in.
  const allowCustomProviderUrl = bool('OMEGA_ALLOW_CUSTOM_PROVIDER_URL', false);
  const twilioApiBaseUrl = url('OMEGA_TWILIO_API_BASE_URL', str('OMEGA_TWILIO_API_BASE_URL'), ['http:', 'https:'], 'http://127.0.0.1:4010');
  if (twilioApiBaseUrl !== undefined) {
    const parsed = new URL(twilioApiBaseUrl);
    if (!twilioLive) {
      problems.push('OMEGA_TWILIO_API_BASE_URL needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (those the fake Twilio expects; without them the sandbox is used and no Twilio API is called)');
    } else if (parsed.search || parsed.hash || parsed.username || parsed.password) {
      problems.push(
        `OMEGA_TWILIO_API_BASE_URL=${JSON.stringify(twilioApiBaseUrl)} must be an origin (and path) without credentials, query or fragment (example: OMEGA_TWILIO_API_BASE_URL=http://127.0.0.1:4010)`,
      );
    } else if (!isLoopbackHost(parsed.hostname) && !allowCustomProviderUrl) {
      problems.push(
        `OMEGA_TWILIO_API_BASE_URL=${JSON.stringify(twilioApiBaseUrl)} is not on this machine (localhost, 127.0.0.0/8 or ::1): Twilio credentials would be sent there. Set OMEGA_ALLOW_CUSTOM_PROVIDER_URL=true if that host is meant`,
      );
    }
  }
  const resendKey = str('RESEND_API_KEY');
  const resendSecret = str('RESEND_WEBHOOK_SECRET');
  if (resendKey !== undefined && !resendKey.startsWith('re_')) {
    problems.push('RESEND_API_KEY must start with "re_" (a key from the Resend dashboard)');
  }
  if (resendSecret !== undefined && !resendSecret.startsWith('whsec_')) {
    problems.push('RESEND_WEBHOOK_SECRET must start with "whsec_" (the signing secret of the Resend webhook)');
  }

  const tokenSecret = str('OMEGA_TOKEN_SECRET');
  if (tokenSecret !== undefined && tokenSecret.length < 32) {
    problems.push('OMEGA_TOKEN_SECRET must be at least 32 characters (generate one with `openssl rand -base64 48`)');
  }

  const messagingServiceSid = str('TWILIO_MESSAGING_SERVICE_SID');
  if (messagingServiceSid !== undefined && !/^MG[0-9a-fA-F]{32}$/.test(messagingServiceSid)) {
    problems.push(`TWILIO_MESSAGING_SERVICE_SID=${JSON.stringify(messagingServiceSid)} is not a messaging service SID (MG followed by 32 hex digits)`);
  }
  const smsFrom = str('TWILIO_FROM_NUMBER');
  if (smsFrom !== undefined && !/^\+[1-9]\d{7,14}$/.test(smsFrom)) {
    problems.push(`TWILIO_FROM_NUMBER=${JSON.stringify(smsFrom)} is not an E.164 number (example: TWILIO_FROM_NUMBER=+15551234567)`);
  }
  const emailFrom = str('OMEGA_EMAIL_FROM');
  if (emailFrom !== undefined && !/^([^<>]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/.test(emailFrom)) {
    problems.push(`OMEGA_EMAIL_FROM=${JSON.stringify(emailFrom)} is not an email sender (example: OMEGA_EMAIL_FROM="Omega <no-reply@example.com>")`);
  }

  const voiceKeySid = str('TWILIO_API_KEY_SID');
  const voiceKeySecret = str('TWILIO_API_KEY_SECRET');
  const twimlAppSid = str('TWILIO_TWIML_APP_SID');
  const voiceVars = [voiceKeySid, voiceKeySecret, twimlAppSid].filter((v) => v !== undefined).length;
  if (voiceVars !== 0 && voiceVars !== 3) {
    problems.push('TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET and TWILIO_TWIML_APP_SID go together: set all three (browser calling) or none (sandbox voice tokens)');
  } else if (voiceVars === 3 && twilioSid === undefined) {
    problems.push('TWILIO_API_KEY_SID needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN: voice tokens are issued for that account');
  }
  if (voiceKeySid !== undefined && !/^SK[0-9a-fA-F]{32}$/.test(voiceKeySid)) {
    problems.push(`TWILIO_API_KEY_SID=${JSON.stringify(voiceKeySid)} is not an API key SID (SK followed by 32 hex digits)`);
  }
  if (twimlAppSid !== undefined && !/^AP[0-9a-fA-F]{32}$/.test(twimlAppSid)) {
    problems.push(`TWILIO_TWIML_APP_SID=${JSON.stringify(twimlAppSid)} is not a TwiML app SID (AP followed by 32 hex digits)`);
  }

  const corsOrigins = origins('OMEGA_CORS_ORIGINS', str('OMEGA_CORS_ORIGINS'), problems);
  const trustProxy = proxies('OMEGA_TRUST_PROXY', str('OMEGA_TRUST_PROXY'), problems);
  const phoneRegionVar = str('OMEGA_DEFAULT_PHONE_REGION')?.toUpperCase() ?? 'US';
  if (!isSupportedCountry(phoneRegionVar)) {
    problems.push(`OMEGA_DEFAULT_PHONE_REGION=${JSON.stringify(phoneRegionVar)} is not a country libphonenumber knows; use its ISO 3166 two-letter code (example: OMEGA_DEFAULT_PHONE_REGION=GB)`);
  }

  const pacingMode = (str('OMEGA_PACING') ?? 'auto').toLowerCase();
  if (!['auto', 'on', 'off'].includes(pacingMode)) problems.push(`OMEGA_PACING=${JSON.stringify(pacingMode)} is not auto, on or off (example: OMEGA_PACING=auto)`);

  const metricsToken = str('OMEGA_METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 16) {
    problems.push('OMEGA_METRICS_TOKEN must be at least 16 characters (generate one with `openssl rand -hex 24`)');
  }
  const metricsPort = str('OMEGA_METRICS_PORT') === undefined ? undefined : int('OMEGA_METRICS_PORT', 0, 0, 65535, '9464');
  if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === port)
    problems.push(`OMEGA_METRICS_PORT=${metricsPort} is PORT too: give the metrics listener a port of its own (example: OMEGA_METRICS_PORT=9464)`);
  const otelEndpoint = url('OTEL_EXPORTER_OTLP_ENDPOINT', str('OTEL_EXPORTER_OTLP_ENDPOINT'), ['http:', 'https:'], 'http://127.0.0.1:4318');

  const logLevelRaw = (str('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevelRaw as LogLevel)) {
    problems.push(`LOG_LEVEL=${JSON.stringify(logLevelRaw)} is not one of ${LOG_LEVELS.join(', ')}`);
  }

  const config: Config = {
    port,
    host,
    databaseUrl,
    redisUrl,
    embeddedPg: {
      dataDir: str('OMEGA_EMBEDDED_PG_DIR') ?? '.data/postgres',
      port: int('OMEGA_EMBEDDED_PG_PORT', 54329, 1024, 65535, '54329'),
    },
    publicBaseUrl,
    serviceApiKey,
    twilio: twilioSid && twilioToken ? { accountSid: twilioSid, authToken: twilioToken, proxyUrl: twilioProxy, ca: twilioCa, apiBaseUrl: twilioApiBaseUrl?.replace(/\/+$/, '') } : undefined,
    resend: resendKey ? { apiKey: resendKey, webhookSecret: resendSecret } : undefined,
    logLevel: LOG_LEVELS.includes(logLevelRaw as LogLevel) ? (logLevelRaw as LogLevel) : 'info',
    workerInProcess: bool('OMEGA_WORKER_IN_PROCESS', true),
    // Sends spend their time waiting for the provider (Twilio answers in 100-300 ms), so a process
    // sends about concurrency / latency messages per second: 32 at once, not 10 (bench/drain: 3x).
    workerConcurrency: int('OMEGA_WORKER_CONCURRENCY', 32, 1, 200, '32'),
    workerDeadAfterSeconds: int('OMEGA_WORKER_DEAD_AFTER_SECONDS', 300, 30, 14_400, '300'),
    seedDemo: bool('OMEGA_SEED_DEMO', databaseUrl === undefined),
    graphiqlDemoKey: databaseUrl === undefined && isLoopbackHost(host) && isLoopbackHost(new URL(publicBaseUrl).hostname),
    // Above the worker's concurrency (32), which graphile-worker wants (it warns otherwise).
    pgPoolMax: int('OMEGA_PG_POOL_MAX', 40, 2, 500, '40'),
    tokenSecret,
    tokenTtlSeconds: int('OMEGA_TOKEN_TTL_SECONDS', 3600, 60, 2_592_000, '3600'),
    signInLinkTtlSeconds: int('OMEGA_SIGN_IN_LINK_TTL_SECONDS', 900, 60, 86_400, '900'),
    signInSessionTtlSeconds: int('OMEGA_SIGN_IN_SESSION_TTL_SECONDS', 43_200, 300, 2_592_000, '43200'),
    rateLimitPerMinute: int('OMEGA_RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000, '600'),
    graphqlMaxDepth: int('OMEGA_GRAPHQL_MAX_DEPTH', 10, 2, 100, '10'),
    graphqlMaxCost: int('OMEGA_GRAPHQL_MAX_COST', 5000, 10, 10_000_000, '5000'),
    graphqlMaxAliases: int('OMEGA_GRAPHQL_MAX_ALIASES', 15, 1, 1000, '15'),
    graphqlMaxTokens: int('OMEGA_GRAPHQL_MAX_TOKENS', 2000, 100, 100_000, '2000'),
    graphqlMaxDirectives: int('OMEGA_GRAPHQL_MAX_DIRECTIVES', 50, 1, 1000, '50'),
    corsOrigins,
    trustProxy,
    outboundWebhooks: {
      allowPrivate: bool('OMEGA_WEBHOOK_ALLOW_PRIVATE', false),
      secretGraceHours: int('OMEGA_WEBHOOK_SECRET_GRACE_HOURS', 24, 0, 720, '24'),
      disableAfterDays: int('OMEGA_WEBHOOK_DISABLE_AFTER_DAYS', 3, 1, 30, '3'),
    },
    phoneRegion: phoneRegionVar as PhoneRegion,
    metricsEndpoint: { token: metricsToken, port: metricsPort, host: str('OMEGA_METRICS_HOST') ?? '127.0.0.1' },
    otelEndpoint,
    sending: {
      // Read by the worker that sends; 25 = SEND_JOB_MAX_ATTEMPTS, the room every send job is queued with.
      maxAttempts: int('OMEGA_SEND_MAX_ATTEMPTS', 10, 1, 25, '10'),
      messagingServiceSid: messagingServiceSid && /^MG[0-9a-fA-F]{32}$/.test(messagingServiceSid) ? messagingServiceSid : undefined,
      smsFrom,
      emailFrom,
      sandboxReportDelayMs: int('OMEGA_SANDBOX_REPORT_DELAY_MS', 2000, 0, 3_600_000, '2000'),
      pacing: {
        mode: ['auto', 'on', 'off'].includes(pacingMode) ? (pacingMode as PacingMode) : 'auto',
        // Twilio's documented throughput per sender: long code (10DLC) 1 segment/s, toll-free 3/s,
        // short code 100/s; a messaging service spreads over numbers Omega does not know, and
        // Resend's API allows 5 requests/s per team by default (2/s before 2025).
        rates: {
          longCode: rate('OMEGA_PACING_LONG_CODE_PER_SECOND', 1),
          tollFree: rate('OMEGA_PACING_TOLL_FREE_PER_SECOND', 3),
          shortCode: rate('OMEGA_PACING_SHORT_CODE_PER_SECOND', 100),
          messagingService: rate('OMEGA_PACING_MESSAGING_SERVICE_PER_SECOND', 10),
          email: rate('OMEGA_PACING_EMAIL_PER_SECOND', 5),
        },
      },
    },
    webhooks: {
      resendWebhookSecret: resendSecret,
      smsReconcileAfterSeconds: int('OMEGA_SMS_RECONCILE_AFTER_SECONDS', 1800, 60, 604_800, '1800'),
    },
    voice: {
      apiKey: voiceKeySid && voiceKeySecret && twimlAppSid ? { sid: voiceKeySid, secret: voiceKeySecret, twimlAppSid } : undefined,
      tokenTtlSeconds: int('OMEGA_VOICE_TOKEN_TTL_SECONDS', 3600, 60, 86_400, '3600'),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * A comma-separated list of browser origins, each exactly `scheme://host[:port]` as a browser sends
 * it in `Origin` (no path, no trailing slash, no wildcard: credentials are allowed for each one).
 */
/** proxy-addr's names of ranges (what Fastify's trustProxy accepts besides addresses and CIDRs). */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function proxies(name: string, raw: string | undefined, problems: string[]): false | number | string[] {
  if (raw === undefined) return false;
  const example = `(example: ${name}=10.0.0.0/8,loopback or ${name}=1)`;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops >= 1 && hops <= 10) return hops;
    problems.push(`${name}=${JSON.stringify(raw)}: a number of proxy hops must be 1 to 10 ${example}`);
    return false;
  }
  if (['true', 'yes', 'on', '*'].includes(raw.toLowerCase())) {
    problems.push(`${name}=${JSON.stringify(raw)} would believe X-Forwarded-For from anyone; name the proxies' addresses or ranges, or a number of hops ${example}`);
    return false;
  }
  const list: string[] = [];
  for (const item of raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)) {
    const [address, bits, ...rest] = item.split('/');
    const valid =
      PROXY_RANGE_NAMES.includes(item) ||
      (address !== undefined && ipaddr.isValid(address) && rest.length === 0 && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (ipaddr.parse(address).kind() === 'ipv4' ? 32 : 128))));
    if (valid) list.push(item);
    else problems.push(`${name}: ${JSON.stringify(item)} is not an address, a CIDR range or one of ${PROXY_RANGE_NAMES.join(', ')} ${example}`);
  }
  return list.length ? list : false;
}

function origins(name: string, raw: string | undefined, problems: string[]): string[] {
  if (raw === undefined) return [];
  const list: string[] = [];
  for (const item of raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)) {
    let origin: string | undefined;
    try {
      const parsed = new URL(item);
      const bare = parsed.pathname === '/' && !parsed.search && !parsed.hash && !parsed.username && !parsed.password && !item.includes('*');
      if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && bare) origin = parsed.origin;
    } catch {
      origin = undefined;
    }
    if (origin === undefined) {
      problems.push(
        `${name}: ${JSON.stringify(item)} is not an origin; list origins as a browser sends them, without path or wildcard (example: ${name}=https://inbox.example.com,http://localhost:5173)`,
      );
    } else if (!list.includes(origin)) {
      list.push(origin);
    }
  }
  return list;
}

/** localhost, 127.0.0.0/8 or ::1 (in brackets or not, as in a URL's hostname or HOST). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The file's contents when it is readable and holds a PEM certificate; otherwise undefined. */
function readCaBundle(path: string): Buffer | undefined {
  try {
    const pem = readFileSync(path);
    return pem.includes('-----BEGIN CERTIFICATE-----') ? pem : undefined;
  } catch {
    return undefined;
  }
}

/** For entry points (server, worker, CLI): the config, or the problems printed and exit code 1. */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) exitWith(err.message);
    throw err;
  }
}
