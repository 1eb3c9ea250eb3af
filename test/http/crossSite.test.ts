// Credentials never work cross-site: CORS is an allow-list (OMEGA_CORS_ORIGINS), preflights cost
// nothing, only JSON bodies are read (forms only on Twilio's webhooks), cookies of another site's
// page change nothing, GraphQL has yoga's CSRF prevention, and graphql-ws checks Origin.
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';

const LISTED = 'https://inbox.example';
const EVIL = 'https://evil.example';
const SAME = 'https://omega.test'; // the test app's PUBLIC_BASE_URL

let t: TestApp;
let apiKey: string;
let sessionCookie: string;
let locationId: string;

const SEND_SMS = 'mutation($i: SendSmsInput!) { sendSms(input: $i) { messages { messageId } } }';

beforeAll(async () => {
  t = await startTestApp({ appOptions: { corsOrigins: [LISTED], rateLimitPerMinute: 50 } });
  apiKey = (await createBusiness(t.deps, 'xs')).apiKey;
  locationId = (await t.deps.prisma.location.create({ data: { businessId: 'xs', name: 'Downtown', timeZone: 'UTC', smsPhoneNumber: '+15005550006' } })).id;
  const staffId = (await t.deps.prisma.staff.create({ data: { businessId: 'xs', firstName: 'Maya' } })).id;
  const token = await t.app.inject({ method: 'POST', url: '/auth/token', headers: { 'x-api-key': apiKey }, payload: { business_id: 'xs', staff_id: staffId, set_cookie: true } });
  expect(token.statusCode).toBe(201);
  sessionCookie = `omega_session=${token.json().access_token}`;
});
afterAll(async () => t.close());

const messageCount = async () => (await t.deps.pool.query(`SELECT count(*)::int AS n FROM messages WHERE business_id = 'xs'`)).rows[0].n as number;
const smsBody = (to: string) => ({ to, body: 'Hello', location_id: locationId });
const sendSmsVariables = (to: string) => ({ i: { businessId: 'xs', recipients: [{ to }], body: 'Hello', locationId } });

describe('CORS', () => {
  for (const url of ['/graphql', '/businesses/xs/locations']) {
    it(`${url}: never reflects an origin that is not listed`, async () => {
      const preflight = await t.app.inject({ method: 'OPTIONS', url, headers: { origin: EVIL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      expect(preflight.statusCode).toBe(403);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
      const body = preflight.json();
      expect(url === '/graphql' ? body.errors[0].extensions.code : body.code).toBe('CORS_ORIGIN_FORBIDDEN');
      const request = await t.app.inject({
        method: url === '/graphql' ? 'POST' : 'GET',
        url,
        headers: { origin: EVIL, 'x-api-key': apiKey },
        ...(url === '/graphql' ? { payload: { query: '{ health { status } }' } } : {}),
      });
      expect(request.headers['access-control-allow-origin']).toBeUndefined();
      expect(request.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it(`${url}: allows a listed origin with credentials, and lets browsers keep the preflight`, async () => {
      const preflight = await t.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: LISTED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-api-key' },
      });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers).toMatchObject({ 'access-control-allow-origin': LISTED, 'access-control-allow-credentials': 'true', 'access-control-max-age': '7200', vary: 'Origin' });
      expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/x-api-key/);
      const tracing = await t.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: LISTED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, traceparent, Sentry-Trace' },
      });
      expect(String(tracing.headers['access-control-allow-headers']).split(', ')).toEqual(expect.arrayContaining(['content-type', 'traceparent', 'sentry-trace']));
      const request = await t.app.inject({ method: 'GET', url: '/businesses/xs/locations', headers: { origin: LISTED, 'x-api-key': apiKey } });
      expect(request.headers['access-control-allow-origin']).toBe(LISTED);
      expect(request.headers['access-control-expose-headers']).toMatch(/x-request-id/);
    });
  }

  it('does not count preflights against the per-IP limit', async () => {
    const ip = '10.9.9.9';
    for (let i = 0; i < 80; i++) {
      const preflight = await t.app.inject({ method: 'OPTIONS', url: '/graphql', remoteAddress: ip, headers: { origin: LISTED, 'access-control-request-method': 'POST' } });
      expect(preflight.statusCode).toBe(204);
    }
    const after = await t.app.inject({ method: 'GET', url: '/businesses/xs/locations', remoteAddress: ip, headers: { origin: LISTED } });
    // Every answer varies by Origin once an origin is listed, even one to a request without Origin.
    expect((await t.app.inject({ method: 'GET', url: '/health' })).headers['vary']).toMatch(/Origin/);
    expect(after.statusCode).toBe(401); // not 429: 80 preflights did not use up the limit of 50
  });
});

describe('bodies: JSON only, forms only where Twilio calls', () => {
  it('answers 415 to a form body on a JSON route, even with a valid cookie, and queues nothing', async () => {
    const before = await messageCount();
    const form = new URLSearchParams({ to: '+14155550101', body: 'Hello', location_id: locationId }).toString();
    const res = await t.app.inject({ method: 'POST', url: '/sms/send', headers: { cookie: `omega_api_key=${apiKey}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: form });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', detail: expect.stringMatching(/application\/json/) });
    const text = await t.app.inject({
      method: 'POST',
      url: '/sms/send',
      headers: { cookie: `omega_api_key=${apiKey}`, 'content-type': 'text/plain' },
      payload: JSON.stringify(smsBody('+14155550101')),
    });
    expect(text.statusCode).toBe(415);
    expect(await messageCount()).toBe(before);
  });

  it('answers 415 to a form body on /graphql under a session cookie, and runs no mutation', async () => {
    const before = await messageCount();
    const form = new URLSearchParams({ query: SEND_SMS, variables: JSON.stringify(sendSmsVariables('+14155550102')) }).toString();
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const res = await t.app.inject({ method: 'POST', url: '/graphql', headers: { cookie: sessionCookie, 'content-type': type, 'x-graphql-yoga-csrf': '1' }, payload: form });
      expect(res.statusCode, type).toBe(415);
      expect(res.json().errors[0].extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    expect(await messageCount()).toBe(before);
  });

  it('answers 415 to a JSON body on the Twilio webhooks (a signed one reached normalizePhone: 500), before anything is read', async () => {
    for (const url of ['/twilio/sms/incoming', '/twilio/sms/status', '/twilio/voice/status', '/voice-calls/twiml']) {
      const res = await t.app.inject({
        method: 'POST',
        url: `${url}?bodySHA256=x`,
        headers: { 'content-type': 'application/json', 'x-twilio-signature': 'x' },
        payload: { MessageSid: 'SM1', CallSid: 'CA1', From: '+14155550101', To: '+15005550006' },
      });
      expect(res.statusCode, url).toBe(415);
      expect(res.json().detail).toMatch(/application\/x-www-form-urlencoded/);
    }
  });
});

describe('cookies of another site change nothing', () => {
  for (const [name, cookie] of [
    ['omega_api_key', () => `omega_api_key=${apiKey}`],
    ['omega_session', () => sessionCookie],
  ] as const) {
    it(`${name}: refused on REST and GraphQL from another origin (403), accepted from the same origin`, async () => {
      const before = await messageCount();
      const rest = await t.app.inject({ method: 'POST', url: '/sms/send', headers: { cookie: cookie(), origin: EVIL }, payload: smsBody('+14155550103') });
      expect(rest.statusCode).toBe(403);
      expect(rest.json().code).toBe('CSRF_ORIGIN_FORBIDDEN');
      const gql = await t.app.inject({ method: 'POST', url: '/graphql', headers: { cookie: cookie(), origin: EVIL }, payload: { query: SEND_SMS, variables: sendSmsVariables('+14155550104') } });
      expect(gql.statusCode).toBe(403);
      expect(gql.json().errors[0].extensions.code).toBe('CSRF_ORIGIN_FORBIDDEN');
      // Fetch Metadata without Origin says the same.
      const metadata = await t.app.inject({ method: 'POST', url: '/sms/send', headers: { cookie: cookie(), 'sec-fetch-site': 'cross-site' }, payload: smsBody('+14155550105') });
      expect(metadata.statusCode).toBe(403);
      expect(await messageCount()).toBe(before);

      const same = await t.app.inject({ method: 'POST', url: '/sms/send', headers: { cookie: cookie(), origin: SAME }, payload: smsBody('+14155550106') });
      expect(same.statusCode).toBe(202);
      const listed = await t.app.inject({ method: 'POST', url: '/graphql', headers: { cookie: cookie(), origin: LISTED }, payload: { query: SEND_SMS, variables: sendSmsVariables('+14155550107') } });
      expect(listed.json().errors, listed.body).toBeUndefined();
      expect(await messageCount()).toBe(before + 2);
    });
  }

  it('takes the host the request was sent to as the same origin only with its scheme', async () => {
    const own = await t.app.inject({
      method: 'POST',
      url: '/sms/send',
      headers: { host: 'inbox.local:8080', cookie: sessionCookie, origin: 'http://inbox.local:8080' },
      payload: smsBody('+14155550109'),
    });
    expect(own.statusCode).toBe(202);
    const otherScheme = await t.app.inject({
      method: 'POST',
      url: '/sms/send',
      headers: { host: 'inbox.local:8080', cookie: sessionCookie, origin: 'https://inbox.local:8080' },
      payload: smsBody('+14155550110'),
    });
    expect(otherScheme.statusCode).toBe(403);
  });

  it('lets a header credential work from any origin (a cookie is what a browser adds on its own)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/sms/send', headers: { 'x-api-key': apiKey, origin: EVIL }, payload: smsBody('+14155550108') });
    expect(res.statusCode).toBe(202);
  });

  it('GraphQL: a GET or a simple request without a CSRF header is refused (yoga CSRF prevention); GraphiQL still opens', async () => {
    const get = await t.app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent('{ viewer { kind } }')}`, headers: { cookie: sessionCookie } });
    expect(get.statusCode).toBe(403);
    expect(get.json().errors[0].extensions.code).toBe('CSRF_HEADER_REQUIRED');
    const withHeader = await t.app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent('{ viewer { kind } }')}`, headers: { cookie: sessionCookie, 'x-graphql-yoga-csrf': '1' } });
    expect(withHeader.statusCode).toBe(200);
    expect(withHeader.json().data.viewer.kind).toBe('session');
    const page = await t.app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });
});

describe('graphql-ws checks Origin before the upgrade', () => {
  let url: string;
  beforeAll(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${(t.app.server.address() as { port: number }).port}/graphql`;
  });

  const connect = (origin: string | undefined) =>
    new Promise<{ ok: true } | { ok: false; code: number | string }>((resolve) => {
      const client = createClient({
        url,
        webSocketImpl: class extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, { headers: { cookie: sessionCookie }, ...(origin ? { origin } : {}) });
          }
        },
        lazy: false,
        retryAttempts: 0,
        onNonLazyError: () => undefined,
        on: {
          connected: () => {
            resolve({ ok: true });
            void client.dispose();
          },
          closed: (event) => resolve({ ok: false, code: (event as { code?: number }).code ?? 'closed' }),
          error: () => resolve({ ok: false, code: 'error' }),
        },
      });
    });

  it('refuses a page of another origin with its cookie, accepts the same and listed origins and non-browser clients', async () => {
    expect(await connect(EVIL)).toMatchObject({ ok: false });
    expect(await connect(SAME)).toEqual({ ok: true });
    expect(await connect(LISTED)).toEqual({ ok: true });
    expect(await connect(undefined)).toEqual({ ok: true });
  });
});

describe('wrong methods', () => {
  it('answer 405 with Allow where the path exists, 404 where it does not', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/sms/send', headers: { 'x-api-key': apiKey } });
    expect(res.statusCode).toBe(405);
    expect(res.headers['allow']).toBe('POST');
    expect(res.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
    const param = await t.app.inject({ method: 'DELETE', url: '/businesses/xs/locations', headers: { 'x-api-key': apiKey } });
    expect(param.statusCode).toBe(405);
    expect(param.headers['allow']).toMatch(/GET/);
    expect((await t.app.inject({ method: 'GET', url: '/no/such/path' })).statusCode).toBe(404);
  });
});
