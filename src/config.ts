// Reads and validates the environment once. The only file that touches process.env.
// Every variable is documented in README.md and .env.example.

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** Unset: an embedded PostgreSQL is started (see src/db/embedded.ts). */
  databaseUrl: string | undefined;
  /** Where the embedded PostgreSQL keeps its data and the port it listens on. */
  embeddedPg: { dataDir: string; port: number };
  /** Public URL of this service, used for provider callbacks and webhook signatures. */
  publicBaseUrl: string;
  /** When set, a service-scope API key with exactly this value is created (or kept). */
  serviceApiKey: string | undefined;
  twilio: { accountSid: string; authToken: string } | undefined;
  resend: { apiKey: string; webhookSecret: string | undefined } | undefined;
  logLevel: LogLevel;
  /** Run graphile-worker inside the API process (default) or only via `npm run worker`. */
  workerInProcess: boolean;
  workerConcurrency: number;
  /** Seed the demo business on start (default: true when the embedded database is used). */
  seedDemo: boolean;
  pgPoolMax: number;
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
  const publicBaseUrl = (url('PUBLIC_BASE_URL', str('PUBLIC_BASE_URL'), ['http:', 'https:'], 'https://omega.example.com')
    ?? `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`).replace(/\/+$/, '');

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
  const resendKey = str('RESEND_API_KEY');
  const resendSecret = str('RESEND_WEBHOOK_SECRET');
  if (resendKey !== undefined && !resendKey.startsWith('re_')) {
    problems.push('RESEND_API_KEY must start with "re_" (a key from the Resend dashboard)');
  }
  if (resendSecret !== undefined && !resendSecret.startsWith('whsec_')) {
    problems.push('RESEND_WEBHOOK_SECRET must start with "whsec_" (the signing secret of the Resend webhook)');
  }

  const logLevelRaw = (str('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevelRaw as LogLevel)) {
    problems.push(`LOG_LEVEL=${JSON.stringify(logLevelRaw)} is not one of ${LOG_LEVELS.join(', ')}`);
  }

  const config: Config = {
    port,
    host,
    databaseUrl,
    embeddedPg: {
      dataDir: str('OMEGA_EMBEDDED_PG_DIR') ?? '.data/postgres',
      port: int('OMEGA_EMBEDDED_PG_PORT', 54329, 1024, 65535, '54329'),
    },
    publicBaseUrl,
    serviceApiKey,
    twilio: twilioSid && twilioToken ? { accountSid: twilioSid, authToken: twilioToken } : undefined,
    resend: resendKey ? { apiKey: resendKey, webhookSecret: resendSecret } : undefined,
    logLevel: LOG_LEVELS.includes(logLevelRaw as LogLevel) ? (logLevelRaw as LogLevel) : 'info',
    workerInProcess: bool('OMEGA_WORKER_IN_PROCESS', true),
    workerConcurrency: int('OMEGA_WORKER_CONCURRENCY', 10, 1, 200, '10'),
    seedDemo: bool('OMEGA_SEED_DEMO', databaseUrl === undefined),
    pgPoolMax: int('OMEGA_PG_POOL_MAX', 20, 2, 500, '20'),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
