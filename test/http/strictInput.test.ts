// REST bodies are strictly typed, explicit nulls mean "not given", every input is bounded, a 422
// echoes at most 1 KB, and no input reaches a 500: the defects found by fuzzing, one by one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';

let t: TestApp;
let apiKey: string;
let serviceKey: string;
let locationId: string;

beforeAll(async () => {
  t = await startTestApp({ appOptions: { rateLimitPerMinute: 0 } });
  apiKey = (await createBusiness(t.deps, 'si')).apiKey;
  serviceKey = await createServiceKey(t.deps);
  locationId = (await t.deps.prisma.location.create({ data: { businessId: 'si', name: 'Downtown', timeZone: 'UTC', smsPhoneNumber: '+15005550006' } })).id;
});
afterAll(async () => t.close());

const post = (url: string, payload: unknown, key = apiKey) =>
  t.app.inject({ method: 'POST', url, headers: { 'x-api-key': key, 'content-type': 'application/json' }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });

describe('JSON bodies are strictly typed', () => {
  it('refuses a boolean where text is expected instead of sending the text "true"', async () => {
    const res = await post('/sms/send', { to: '+14155550101', body: true, location_id: locationId });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toEqual([expect.objectContaining({ type: 'string_type', loc: ['body', 'body'], input: true })]);
    expect((await t.deps.pool.query(`SELECT count(*)::int AS n FROM messages WHERE business_id = 'si'`)).rows[0].n).toBe(0);
  });

  it('refuses a number where an id is expected instead of creating business "12345"', async () => {
    const res = await post('/business/onboard', { business_id: 12345, name: 'Numbers' }, serviceKey);
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toEqual([expect.objectContaining({ loc: ['body', 'business_id'], type: 'string_type' })]);
    expect(await t.deps.prisma.business.findUnique({ where: { id: '12345' } })).toBeNull();
  });

  it('refuses text where a number or boolean is expected', async () => {
    const res = await post('/businesses/si/messages/read-status', { read: 'false' });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: 'boolean_type', loc: ['body', 'read'] });
  });

  it('still coerces query strings, which are text', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/business-staffs/si/staffs?page=1&page_size=5&active=true', headers: { 'x-api-key': apiKey } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ page: 1, page_size: 5 });
  });
});

describe('an explicit null in an optional field means "not given"', () => {
  it('does not store first_name: null as ""', async () => {
    const res = await post('/sms/send', { to: '+14155550102', body: 'Hi', location_id: locationId, first_name: null, last_name: null });
    expect(res.statusCode, res.body).toBe(202);
    const client = await t.deps.prisma.client.findUniqueOrThrow({ where: { id: res.json().messages[0].client_id } });
    expect(client.firstName).toBeNull();
    expect(client.lastName).toBeNull();
  });

  it('read: null on read-status is the default (read), not "unread"', async () => {
    const recorded = await post('/sms/record', { direction: 'inbound', from: '+14155550103', to: '+15005550006', body: 'Hello?', location_id: locationId, read: true });
    expect(recorded.statusCode, recorded.body).toBe(201);
    const res = await post('/businesses/si/messages/read-status', { read: null, conversation_id: recorded.json().conversation_id });
    expect(res.statusCode).toBe(200);
    expect(res.json().updated).toBe(0); // already read; null did not mark it unread
    const message = await t.deps.prisma.message.findUniqueOrThrow({ where: { id: recorded.json().message_id } });
    expect(message.seenAt).not.toBeNull();
  });

  it('keeps null where the field documents it (quiet_hours: null clears them)', async () => {
    const res = await post('/business/onboard', { business_id: 'si-null', name: 'Null', settings: { quiet_hours: null } }, serviceKey);
    expect(res.statusCode, res.body).toBe(201);
  });

  it('refuses null in a required field', async () => {
    const res = await post('/sms/send', { to: '+14155550104', body: null, location_id: locationId });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ loc: ['body', 'body'] });
  });
});

describe('bounded input, and no 500 for any of it', () => {
  it('echoes at most 1 KB of a 1 MB input in a 422', async () => {
    const huge = 'x'.repeat(1024 * 1024);
    const res = await post('/sms/send', { to: huge, body: 'Hi', location_id: locationId });
    expect(res.statusCode).toBe(422);
    expect(res.body.length).toBeLessThan(2 * 1024);
    expect(res.json().detail[0].input).toMatch(/^x{1024}… \(1048576 characters\)$/);
    const onboarding = await post('/business/onboard', { business_id: 'si-big', name: 'Big', clients: Array.from({ length: 60_000 }, (_, i) => ({ external_id: `c${i}` })) }, serviceKey);
    expect(onboarding.statusCode).toBe(422);
    expect(onboarding.body.length).toBeLessThan(4 * 1024);
  });

  it('refuses a body nested 5,000 deep on every JSON route with a 422 (it overflowed the stack)', async () => {
    const deep = `{"to": "+14155550105", "body": "Hi", "location_id": "${locationId}", "metadata": ${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    for (const url of ['/sms/send', '/sms/record', '/email/send', '/messages/si/process', '/businesses/si/conversations']) {
      const res = await post(url, deep);
      expect(res.statusCode, url).toBe(422);
      expect(res.json().detail[0]).toMatchObject({ type: 'json_invalid', loc: ['body'], msg: expect.stringMatching(/nested more than 64/) });
    }
  });

  it('refuses a page number beyond 10,000 (it reached Prisma as 1e23)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/business-staffs/si/staffs?page=99999999999999999999999', headers: { 'x-api-key': apiKey } });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: 'less_than_equal', loc: ['query', 'page'] });
  });

  it('refuses a request_id with a lone surrogate, which PostgreSQL would store altered (a replay then hit the unique index)', async () => {
    const body = `{"to": "+14155550106", "body": "Hi", "location_id": "${locationId}", "request_id": "order-\\ud800"}`;
    for (let i = 0; i < 2; i++) {
      const res = await post('/sms/send', body);
      expect(res.statusCode).toBe(422);
      expect(res.json().detail[0]).toMatchObject({ loc: ['body', 'request_id'], msg: expect.stringMatching(/lone UTF-16 surrogate/) });
    }
    const nul = await post('/sms/send', `{"to": "+14155550106", "body": "Hi\\u0000", "location_id": "${locationId}"}`);
    expect(nul.statusCode).toBe(422);
    expect(nul.json().detail[0]).toMatchObject({ loc: ['body', 'body'], msg: expect.stringMatching(/NUL/) });
  });
});

describe('what the fuzz found after the first fixes', () => {
  it('an object of 300 unknown keys: each problem echoes the unknown value (not the whole object), at most 20 listed, a few KB in all', async () => {
    const extra = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`unknown_${i}`, `${i}`.repeat(50)]));
    const res = await post('/businesses/si/conversations', { client_id: '01a23d92-a0b5-7e6e-b070-1bc09c6c9175', ...extra });
    expect(res.statusCode).toBe(422);
    const detail = res.json().detail as { type: string; loc: unknown[]; input: unknown }[];
    expect(detail).toHaveLength(21);
    expect(detail[0]).toMatchObject({ type: 'extra_forbidden', loc: ['body', 'unknown_0'], input: '0'.repeat(50) });
    expect(detail[20]).toMatchObject({ type: 'too_many_errors', msg: 'and 280 more problems; fix these first' });
    expect(res.body.length).toBeLessThan(8 * 1024);
  });

  it('a path that is not UTF-8, or a segment too long for the router, answers in the REST shape', async () => {
    const bad = await t.app.inject({ method: 'GET', url: '/businesses/%ED%A0%80/locations', headers: { 'x-api-key': apiKey } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID_URL', detail: expect.stringMatching(/percent-encoded UTF-8/) });
    const long = await t.app.inject({ method: 'GET', url: `/businesses/${'x'.repeat(600)}/locations`, headers: { 'x-api-key': apiKey } });
    expect(long.statusCode).toBe(414);
    expect(long.json()).toMatchObject({ code: 'PATH_SEGMENT_TOO_LONG' });
  });

  it("a status report giving a provider id that is another message's: 409 PROVIDER_MESSAGE_ID_TAKEN (it was a 500)", async () => {
    const record = (n: number, providerId: boolean) =>
      post('/sms/record', {
        direction: 'outbound',
        status: 'sent',
        from: '+15005550006',
        to: `+1415555017${n}`,
        body: 'Hi',
        location_id: locationId,
        provider: 'twilio',
        ...(providerId ? { provider_message_id: `SM${String(n).repeat(32)}` } : {}),
      });
    const a = await record(1, true);
    const b = await record(2, false);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const res = await post('/sms/status', { message_id: b.json().message_id, provider: 'twilio', provider_message_id: `SM${'1'.repeat(32)}`, status: 'delivered' });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().code).toBe('PROVIDER_MESSAGE_ID_TAKEN');
  });
});

describe('a service key naming a business that does not exist', () => {
  const rest: [string, string][] = [
    ['GET', '/businesses/nope/conversations'],
    ['GET', '/businesses/nope/locations'],
    ['GET', '/business-clients/nope/clients'],
    ['GET', '/business-staffs/nope/staffs'],
    ['GET', '/messages/nope/requests/r-1'],
    ['POST', '/messages/nope/messages/retry'],
    ['GET', '/business/nope/onboarding-status'],
  ];
  for (const [method, url] of rest) {
    it(`${method} ${url}: 404 BUSINESS_NOT_FOUND with a service key, 403 with another business's key`, async () => {
      const payload = method === 'POST' ? { message_ids: ['00000000-0000-7000-8000-000000000000'] } : undefined;
      const service = await t.app.inject({ method: method as 'GET', url, headers: { 'x-api-key': serviceKey }, ...(payload ? { payload } : {}) });
      expect(service.statusCode, service.body).toBe(404);
      expect(service.json().code).toBe('BUSINESS_NOT_FOUND');
      const other = await t.app.inject({ method: method as 'GET', url, headers: { 'x-api-key': apiKey }, ...(payload ? { payload } : {}) });
      expect(other.statusCode).toBe(403);
      expect(other.json().code).toBe('BUSINESS_FORBIDDEN');
    });
  }

  it("GraphQL: BUSINESS_NOT_FOUND with a service key, FORBIDDEN with another business's key", async () => {
    const query = '{ conversations(businessId: "nope", first: 5) { totalCount } }';
    const service = await t.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': serviceKey }, payload: { query } });
    expect(service.json().errors[0].extensions.code).toBe('BUSINESS_NOT_FOUND');
    const other = await t.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': apiKey }, payload: { query } });
    expect(other.json().errors[0].extensions.code).toBe('FORBIDDEN');
    const known = await t.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': serviceKey }, payload: { query: query.replace('nope', 'si') } });
    expect(known.json().errors).toBeUndefined();
  });
});
