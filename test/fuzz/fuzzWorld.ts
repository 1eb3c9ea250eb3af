// The real app as the fuzz tests meet it: rate limit off, Twilio and Resend webhooks verifiable
// (auth token and svix secret set, sandbox channels so nothing leaves the process), and two
// businesses with data so every id in a path or body can point at something real, or at the other
// business. Errors the server raises are captured per request for the failure report.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createSandboxEmailChannel } from '../../src/channels/sandbox/createSandboxEmailChannel.js';
import { createSandboxSmsChannel } from '../../src/channels/sandbox/createSandboxSmsChannel.js';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import type { Deps } from '../../src/domain/deps.js';
import { newWebhookSecret, sealSecret } from '../../src/domain/outboundWebhooks/secretBox.js';
import { buildInbox } from '../helpers/inboxFixture.js';
import { createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';

export const PUBLIC_URL = 'https://omega.test';
export const TWILIO_ACCOUNT_SID = `AC${'f0'.repeat(16)}`;
export const TWILIO_AUTH_TOKEN = 'fuzz-twilio-auth-token';
export const RESEND_SECRET = `whsec_${Buffer.from('fuzz-resend-webhook-secret-0123456789').toString('base64')}`;

/** One business and the ids of its data. */
export interface Tenant {
  id: string;
  apiKey: string;
  locationId: string;
  locationExternalId: string;
  smsNumber: string;
  emailAddress: string;
  staffId: string;
  staffExternalId: string;
  clientId: string;
  clientExternalId: string;
  clientPhone: string;
  conversationId: string;
  inboundMessageId: string;
  failedMessageId: string;
  emailMessageId: string;
  emailProviderId: string;
  smsProviderSid: string;
  requestId: string;
  /** Two more keys of the business, for revoking and rotating. */
  spareApiKeyIds: [string, string];
  /** An event of the business (`evt_<n>`), a webhook endpoint and a delivery of that event to it. */
  eventId: string;
  webhookId: string;
  deliveryId: string;
}

export interface FuzzWorld {
  t: TestApp;
  app: FastifyInstance;
  a: Tenant;
  b: Tenant;
  serviceKey: string;
  /** The error the server raised for a request (by x-request-id), with its first stack frames. */
  errorOf(requestId: string | undefined): string | undefined;
  /** Error lines logged (GraphQL's masked errors) since the last call. */
  takeLoggedErrors(): string[];
  close(): Promise<void>;
}

export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((l) => l.trim().startsWith('at '))
    .slice(0, 3)
    .map((l) => l.trim().replace(/\(?file:\/\/[^)]*?\/(src|rest-compat|node_modules)\//, '($1/'));
  const message = err.message.replace(/\s+/g, ' ').trim();
  const short = message.length > 400 ? `${message.slice(0, 150)} … ${message.slice(-250)}` : message;
  return `${err.name}: ${short} ${frames.join(' ')}`;
}

async function tenant(deps: Deps, id: string, n: number): Promise<Tenant> {
  const phone = (i: number) => `+1415555${n}${String(i).padStart(3, '0')}`;
  const inbox = await buildInbox(deps, id, [
    {
      client: { firstName: 'Rosa', lastName: 'Mitchell', phone: phone(1), email: `rosa@${id}.test`, type: 'vip', groups: ['regulars'] },
      messages: [
        { direction: 'inbound', body: 'Hello, can I book for Friday?', minutesAgo: 30 },
        { direction: 'outbound', body: 'Sure, 3pm works', minutesAgo: 20, requestId: `req-${id}` },
        { direction: 'outbound', body: 'Reminder: Friday 3pm', minutesAgo: 10 },
      ],
    },
    {
      client: { firstName: 'Sam', lastName: 'Ortiz', phone: phone(2) },
      location: 1,
      messages: [
        { direction: 'inbound', body: 'Running late', minutesAgo: 5 },
        { channel: 'email', direction: 'outbound', body: 'Your invoice', subject: 'Invoice', minutesAgo: 4 },
        { channel: 'note', direction: 'internal', body: 'Called back', minutesAgo: 3 },
      ],
    },
  ]);
  const p = deps.prisma;
  const [first, second] = inbox.conversations as [(typeof inbox.conversations)[0], (typeof inbox.conversations)[0]];
  const smsNumber = `+1500555000${n}`;
  const emailAddress = `front@${id}.test`;
  await p.location.update({ where: { id: inbox.locations[0]!.id }, data: { smsPhoneNumber: smsNumber, emailFrom: emailAddress, externalId: 'alpha' } });
  await p.location.update({ where: { id: inbox.locations[1]!.id }, data: { externalId: 'beta' } });
  await p.staff.update({ where: { id: inbox.staff[0]!.id }, data: { externalId: 'maya', locationIds: [inbox.locations[0]!.id] } });
  await p.client.update({ where: { id: first.clientId }, data: { externalId: 'rosa' } });
  const smsProviderSid = `SM${randomBytes(16).toString('hex')}`;
  await p.message.update({ where: { id: first.messageIds[1]! }, data: { provider: 'twilio', providerMessageId: smsProviderSid, status: 'sent' } });
  await p.message.update({ where: { id: first.messageIds[2]! }, data: { status: 'failed', errorCode: '30003' } });
  const emailProviderId = randomBytes(16).toString('hex');
  await p.message.update({ where: { id: second.messageIds[1]! }, data: { provider: 'resend', providerMessageId: emailProviderId, status: 'sent', toAddress: `sam@${id}.test` } });
  // An endpoint whose dispatcher has passed every event so far, and one delivery (written here: the endpoint routes are tested on their own).
  const event = (await deps.pool.query<{ id: string }>(`SELECT id::text FROM inbox_events WHERE business_id = $1 ORDER BY id LIMIT 1`, [id])).rows[0]!;
  const webhookId = (
    await deps.pool.query<{ id: string }>(
      `INSERT INTO webhook_endpoints (business_id, url, secret_encrypted, cursor_xid) VALUES ($1, 'https://hooks.example.com/fuzz', $2, pg_current_xact_id()) RETURNING id::text`,
      [id, sealSecret(deps.outboundWebhooks.secretKey, newWebhookSecret())],
    )
  ).rows[0]!.id;
  const deliveryId = (
    await deps.pool.query<{ id: string }>(`INSERT INTO webhook_deliveries (business_id, endpoint_id, event_id, status, attempts) VALUES ($1, $2, $3, 'failed', 12) RETURNING id::text`, [
      id,
      webhookId,
      event.id,
    ])
  ).rows[0]!.id;
  return {
    id,
    apiKey: (await createApiKey(deps, { name: `fuzz ${id}`, businessId: id })).key,
    locationId: inbox.locations[0]!.id,
    locationExternalId: 'alpha',
    smsNumber,
    emailAddress,
    staffId: inbox.staff[0]!.id,
    staffExternalId: 'maya',
    clientId: first.clientId,
    clientExternalId: 'rosa',
    clientPhone: phone(1),
    conversationId: first.conversationId,
    inboundMessageId: first.messageIds[0]!,
    failedMessageId: first.messageIds[2]!,
    emailMessageId: second.messageIds[1]!,
    emailProviderId,
    smsProviderSid,
    requestId: `req-${id}`,
    spareApiKeyIds: [(await createApiKey(deps, { name: 'spare 1', businessId: id })).id, (await createApiKey(deps, { name: 'spare 2', businessId: id })).id],
    eventId: `evt_${event.id}`,
    webhookId,
    deliveryId,
  };
}

export async function startFuzzWorld(): Promise<FuzzWorld> {
  const requestErrors = new Map<string, string>();
  let logged: string[] = [];
  const t = await startTestApp({
    appOptions: { rateLimitPerMinute: 0 },
    channels: { sms: createSandboxSmsChannel({ reportAfterMs: 0 }), email: createSandboxEmailChannel({ reportAfterMs: 0, defaultFrom: null }) },
    depsOptions: {
      publicBaseUrl: PUBLIC_URL,
      twilio: { accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN },
      webhooks: { resendWebhookSecret: RESEND_SECRET, smsReconcileAfterSeconds: 1800 },
    },
    beforeReady(app) {
      app.addHook('onError', async (req, _reply, err) => {
        requestErrors.set(req.id, describeError(err));
      });
    },
  });
  // yoga logs through app.log (silent in tests): keep its error lines, which name what it masked.
  const log = t.app.log as unknown as { error: (...args: unknown[]) => void };
  log.error = (...args: unknown[]) => {
    logged.push(
      args
        .map((a) => (a instanceof Error ? describeError(a) : typeof a === 'string' ? a : JSON.stringify(a)))
        .join(' ')
        .slice(0, 600),
    );
  };
  const a = await tenant(t.deps, 'fuzz-a', 6);
  const b = await tenant(t.deps, 'fuzz-b', 7);
  const serviceKey = await createServiceKey(t.deps);
  return {
    t,
    app: t.app,
    a,
    b,
    serviceKey,
    errorOf: (id) => (id ? requestErrors.get(id) : undefined),
    takeLoggedErrors() {
      const out = logged;
      logged = [];
      return out;
    },
    close: () => t.close(),
  };
}
