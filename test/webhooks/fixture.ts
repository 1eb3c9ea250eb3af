// The real app on a database of its own, configured as production is with live Twilio and Resend:
// webhooks are signed the way the providers sign them, and the SDKs' API calls are answered by msw.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { Webhook } from 'standardwebhooks';
import { buildApp } from '../../src/app.js';
import type { Channels } from '../../src/channels/types.js';
import type { Config } from '../../src/config.js';
import { createDeps } from '../../src/createDeps.js';
import { createPool } from '../../src/db/pool.js';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import type { Clock, Deps } from '../../src/domain/deps.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

export const PUBLIC_URL = 'https://omega.test';
export const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
export const AUTH_TOKEN = 'test-auth-token';
export const RESEND_KEY = 're_test_key';
export const RESEND_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
export const API_KEY_SID = `SK${'c3'.repeat(16)}`;
export const API_KEY_SECRET = 'voice-api-key-secret-for-tests-0123';
export const TWIML_APP_SID = `AP${'d4'.repeat(16)}`;
export const POOL_SID = `MG${'b2'.repeat(16)}`;
export const SALON_POOL_SID = `MG${'e5'.repeat(16)}`;

export interface WebhookFixture {
  db: TestDatabase;
  deps: Deps;
  app: FastifyInstance;
  apiKey: string;
  salonKey: string;
  loc: { downtown: string; uptown: string; quiet: string; salonA: string; salonB: string };
  staff: { anna: string; ben: string; cara: string; dan: string; eve: string };
  /** A Twilio webhook POST, signed with X-Twilio-Signature exactly as Twilio does (override any part to tamper). */
  twilio(path: string, params: Record<string, string>, opts?: { signature?: string | null; signedUrl?: string; signedParams?: Record<string, string>; token?: string }): Promise<Answer>;
  /** A Resend webhook POST with svix headers signed by standardwebhooks (override any part to tamper). */
  resend(
    event: unknown,
    opts?: { id?: string; timestamp?: Date; secret?: string; /** Sent instead of the signed body. */ body?: string; headers?: Record<string, string>; path?: string },
  ): Promise<Answer>;
  post(url: string, body: unknown, key?: string): Promise<Answer>;
  get(url: string, key?: string): Promise<Answer>;
  count(table: 'messages' | 'clients' | 'conversations' | 'inbox_events' | 'message_events' | 'voice_calls'): Promise<number>;
  close(): Promise<void>;
}

export interface Answer {
  status: number;
  json: any;
  body: string;
  type: string | undefined;
}

export interface FixtureOptions {
  /** Live Twilio credentials (default true): without them Twilio webhooks cannot be verified. */
  twilio?: boolean;
  resendSecret?: string | null;
  /** TWILIO_API_KEY_SID etc. (default true): live voice tokens. */
  voiceKey?: boolean;
  channels?: Partial<Channels>;
  clock?: Clock;
}

const quietLog = { warn: () => undefined, info: () => undefined, error: () => undefined };

export async function startWebhookFixture(options: FixtureOptions = {}): Promise<WebhookFixture> {
  const db = await createTestDatabase();
  const pool = createPool(db.url, 10, () => undefined);
  const live = options.twilio ?? true;
  const deps = await createDeps({ url: db.url, pool }, quietLog, options.clock, {
    publicBaseUrl: PUBLIC_URL,
    twilio: live ? { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN } : undefined,
    resend: { apiKey: RESEND_KEY, webhookSecret: undefined },
    webhooks: { resendWebhookSecret: options.resendSecret === undefined ? RESEND_SECRET : (options.resendSecret ?? undefined), smsReconcileAfterSeconds: 1800 },
    voice: { apiKey: (options.voiceKey ?? true) ? { sid: API_KEY_SID, secret: API_KEY_SECRET, twimlAppSid: TWIML_APP_SID } : undefined, tokenTtlSeconds: 3600 } satisfies Config['voice'],
    sending: { maxAttempts: 10, messagingServiceSid: undefined, smsFrom: undefined, emailFrom: undefined, sandboxReportDelayMs: 0 },
    channels: options.channels,
  });
  const app = await buildApp(deps, { logLevel: 'silent', publicBaseUrl: PUBLIC_URL });
  await app.ready();

  const p = deps.prisma;
  await p.business.create({ data: { id: 'spa', name: 'Serenity Spa' } });
  await p.business.create({ data: { id: 'salon', name: 'Shear Salon' } });
  const apiKey = (await createApiKey(deps, { name: 'spa', businessId: 'spa' })).key;
  const salonKey = (await createApiKey(deps, { name: 'salon', businessId: 'salon' })).key;
  const location = async (businessId: string, name: string, data: object) => (await p.location.create({ data: { businessId, name, ...data } })).id;
  const loc = {
    downtown: await location('spa', 'Downtown', { smsPhoneNumber: '+15005550006', emailFrom: 'downtown@spa.test', emailFromName: 'Downtown Spa', externalId: 'downtown' }),
    uptown: await location('spa', 'Uptown', { messagingServiceSid: POOL_SID, emailFrom: 'Uptown@Spa.test', externalId: 'uptown' }),
    quiet: await location('spa', 'Quiet Room', { smsPhoneNumber: '+15005550007' }),
    salonA: await location('salon', 'Salon A', { messagingServiceSid: SALON_POOL_SID, smsPhoneNumber: '+15005550009' }),
    salonB: await location('salon', 'Salon B', { messagingServiceSid: SALON_POOL_SID }),
  };
  const staffMember = async (businessId: string, firstName: string, locationIds: string[], active = true) => (await p.staff.create({ data: { businessId, firstName, locationIds, active } })).id;
  const staff = {
    anna: await staffMember('spa', 'Anna', [loc.downtown]),
    ben: await staffMember('spa', 'Ben', [loc.downtown]),
    cara: await staffMember('spa', 'Cara', [loc.uptown]),
    dan: await staffMember('spa', 'Dan', [loc.downtown], false),
    eve: await staffMember('salon', 'Eve', []),
  };

  const answer = (res: { statusCode: number; body: string; headers: Record<string, unknown> }): Answer => {
    const type = res.headers['content-type'] as string | undefined;
    return { status: res.statusCode, body: res.body, type, json: type?.includes('json') && res.body ? JSON.parse(res.body) : null };
  };

  return {
    db,
    deps,
    app,
    apiKey,
    salonKey,
    loc,
    staff,
    async twilio(path, params, opts = {}) {
      const signedUrl = opts.signedUrl ?? `${PUBLIC_URL}${path}`;
      const signature = opts.signature === undefined ? twilio.getExpectedTwilioSignature(opts.token ?? AUTH_TOKEN, signedUrl, opts.signedParams ?? params) : opts.signature;
      const res = await app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature !== null ? { 'x-twilio-signature': signature } : {}) },
        payload: new URLSearchParams(params).toString(),
      });
      return answer(res);
    },
    async resend(event, opts = {}) {
      // The signature always covers the event as serialised here; `body` sends something else (tampering).
      const signed = JSON.stringify(event);
      const id = opts.id ?? `msg_${randomBytes(12).toString('hex')}`;
      const timestamp = opts.timestamp ?? new Date();
      const signature = new Webhook(opts.secret ?? RESEND_SECRET).sign(id, timestamp, signed);
      const body = opts.body ?? signed;
      const res = await app.inject({
        method: 'POST',
        url: opts.path ?? '/email/webhooks/resend',
        headers: { 'content-type': 'application/json', 'svix-id': id, 'svix-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'svix-signature': signature, ...opts.headers },
        payload: body,
      });
      return answer(res);
    },
    async post(url, body, key = apiKey) {
      return answer(await app.inject({ method: 'POST', url, headers: { 'x-api-key': key, 'content-type': 'application/json' }, payload: JSON.stringify(body) }));
    },
    async get(url, key = apiKey) {
      return answer(await app.inject({ method: 'GET', url, headers: key ? { 'x-api-key': key } : {} }));
    },
    async count(table) {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      return rows[0]!.n;
    },
    async close() {
      await app.close();
      await deps.close();
      await pool.end();
      await db.drop();
    },
  };
}
