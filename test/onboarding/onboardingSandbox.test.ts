import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';
import { runJobs } from '../helpers/jobs.js';

describe('onboarding without provider credentials (sandbox)', () => {
  let t: TestApp;
  let service: string;
  const onboard = (body: unknown, key = service) => t.app.inject({ method: 'POST', url: '/business/onboard', headers: { 'x-api-key': key }, payload: body as object });
  const status = (businessId: string, key = service) => t.app.inject({ method: 'GET', url: `/business/${businessId}/onboarding-status`, headers: { 'x-api-key': key } });

  beforeAll(async () => {
    t = await startTestApp({ depsOptions: { publicBaseUrl: 'https://omega.test' } });
    service = await createServiceKey(t.deps);
  });
  afterAll(() => t.close());

  it('runs every step through the sandbox providers and says so in each result', async () => {
    const res = await onboard({
      business_id: 'sandbox-spa',
      name: 'Sandbox Spa',
      locations: [
        { external_id: 'a', name: 'A', sms_sender: { type: 'provision', area_code: '415' }, email_sender: { from_address: 'a@sandbox-spa.test' } },
        { external_id: 'b', name: 'B', sms_sender: { type: 'existing_number', phone_number: '+1 (415) 555-0142' } },
      ],
      clients: [{ external_id: 'c1', phone: '415.555.0101', emails: ['  Ann@Example.com '] }],
    });
    expect(res.statusCode).toBe(201);
    await runJobs(t.deps);
    const body = (await status('sandbox-spa')).json();
    expect(body.status).toBe('succeeded');
    const byName = Object.fromEntries(body.steps.map((s: { name: string }) => [s.name, s]));
    expect(byName['sms_sender:a'].result).toMatchObject({ type: 'provision', sandbox: true, note: expect.stringMatching(/test range/) });
    expect(byName['sms_sender:a'].result.phoneNumber).toMatch(/^\+1500555\d{4}$/);
    expect(byName['sms_sender:b'].result).toMatchObject({ type: 'existing_number', phoneNumber: '+14155550142', sandbox: true });
    expect(byName['email_domain:sandbox-spa.test'].result).toMatchObject({ provider: 'sandbox', status: 'verified', verified: true, sandbox: true });
    const a = await t.deps.prisma.location.findFirstOrThrow({ where: { businessId: 'sandbox-spa', externalId: 'a' } });
    expect(a.smsPhoneNumber).toBe(byName['sms_sender:a'].result.phoneNumber);
    expect(a.smsNumberSid).toMatch(/^PN[0-9a-f]{32}$/);
    expect(await t.deps.prisma.client.findFirstOrThrow({ where: { businessId: 'sandbox-spa' } })).toMatchObject({ phones: ['+14155550101'], emails: ['ann@example.com'] });
  });

  it('keeps the sandbox number on a repeat run of the step (no second number)', async () => {
    const before = await t.deps.prisma.location.findFirstOrThrow({ where: { businessId: 'sandbox-spa', externalId: 'a' } });
    await t.deps.pool.query(`UPDATE onboarding_steps SET status = 'failed' WHERE name = 'sms_sender:a'`);
    await onboard({ business_id: 'sandbox-spa', name: 'Sandbox Spa', locations: [{ external_id: 'a', name: 'A', sms_sender: { type: 'provision', area_code: '415' } }] });
    await runJobs(t.deps);
    const after = await t.deps.prisma.location.findFirstOrThrow({ where: { businessId: 'sandbox-spa', externalId: 'a' } });
    expect(after.smsPhoneNumber).toBe(before.smsPhoneNumber);
    const { result } = await t.deps.prisma.onboardingStep.findFirstOrThrow({ where: { name: 'sms_sender:a' } });
    expect(result).toMatchObject({ reused: true });
  });

  describe('validation answers 422 in FastAPI shape, naming each field', () => {
    const cases: [string, Record<string, unknown>, (string | number)[]][] = [
      ['a business id unfit for a URL', { business_id: 'has space', name: 'X' }, ['body', 'business_id']],
      ['an unknown time zone', { business_id: 'v1', name: 'X', time_zone: 'Mars/Olympus' }, ['body', 'time_zone']],
      ['quiet hours not "HH:MM"', { business_id: 'v1', name: 'X', settings: { quiet_hours: { start: '9pm', end: '08:00' } } }, ['body', 'settings', 'quiet_hours', 'start']],
      ['quiet hours of no length', { business_id: 'v1', name: 'X', settings: { quiet_hours: { start: '08:00', end: '08:00' } } }, ['body', 'settings', 'quiet_hours']],
      ['a missing name', { business_id: 'v1' }, ['body', 'name']],
      [
        'an unknown sender type',
        { business_id: 'v1', name: 'X', locations: [{ external_id: 'a', name: 'A', sms_sender: { type: 'carrier-pigeon' } }] },
        ['body', 'locations', 0, 'sms_sender', 'type'],
      ],
      [
        'a provision without an area code',
        { business_id: 'v1', name: 'X', locations: [{ external_id: 'a', name: 'A', sms_sender: { type: 'provision', area_code: '41' } }] },
        ['body', 'locations', 0, 'sms_sender', 'area_code'],
      ],
      [
        'a bad messaging service sid',
        { business_id: 'v1', name: 'X', locations: [{ external_id: 'a', name: 'A', sms_sender: { type: 'messaging_service', messaging_service_sid: 'MGnope' } }] },
        ['body', 'locations', 0, 'sms_sender', 'messaging_service_sid'],
      ],
      [
        'a bad from address',
        { business_id: 'v1', name: 'X', locations: [{ external_id: 'a', name: 'A', email_sender: { from_address: 'not-an-email' } }] },
        ['body', 'locations', 0, 'email_sender', 'from_address'],
      ],
      [
        'duplicate location ids',
        {
          business_id: 'v1',
          name: 'X',
          locations: [
            { external_id: 'a', name: 'A' },
            { external_id: 'a', name: 'B' },
          ],
        },
        ['body', 'locations', 1, 'external_id'],
      ],
      ['a client phone that is not one', { business_id: 'v1', name: 'X', clients: [{ external_id: 'c', phone: '12' }] }, ['body', 'clients', 0, 'phone']],
      ['a client without external id', { business_id: 'v1', name: 'X', clients: [{ first_name: 'N' }] }, ['body', 'clients', 0, 'external_id']],
      [
        'staff at an unknown location',
        { business_id: 'v1', name: 'X', staff: [{ external_id: 's', first_name: 'S', location_external_ids: ['nowhere'] }] },
        ['body', 'staff', 0, 'location_external_ids', 0],
      ],
      ['an unknown default sender', { business_id: 'v1', name: 'X', settings: { default_sender_location_external_id: 'nowhere' } }, ['body', 'settings', 'default_sender_location_external_id']],
      ['an unknown field', { business_id: 'v1', name: 'X', locaitons: [] }, ['body', 'locaitons']],
    ];
    it.each(cases)('%s', async (_name, body, loc) => {
      const res = await onboard(body);
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toEqual(expect.arrayContaining([expect.objectContaining({ loc, msg: expect.any(String), type: expect.any(String) })]));
      expect(await t.deps.prisma.business.findUnique({ where: { id: 'v1' } })).toBeNull();
    });
  });

  describe('who may onboard and read the status', () => {
    it('answers 401 without credentials and 403 to a business key', async () => {
      const biz = await createBusiness(t.deps, 'key-owner');
      expect((await onboard({ business_id: 'x1', name: 'X' }, '')).statusCode).toBe(401);
      const res = await onboard({ business_id: 'x1', name: 'X' }, biz.apiKey);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('SERVICE_KEY_REQUIRED');
      // Not even its own business.
      expect((await onboard({ business_id: 'key-owner', name: 'Mine' }, biz.apiKey)).statusCode).toBe(403);
    });

    it("lets a business read its own status, not another's, and 404s an unknown or never-onboarded business", async () => {
      const own = await createBusiness(t.deps, 'reader');
      const created = (await onboard({ business_id: 'reader-2', name: 'R2' })).json();
      expect((await status('reader-2', created.api_key.key)).statusCode).toBe(200);
      const other = await status('sandbox-spa', created.api_key.key);
      expect(other.statusCode).toBe(403);
      expect(other.json().code).toBe('BUSINESS_FORBIDDEN');
      expect((await status('reader', own.apiKey)).json().code).toBe('ONBOARDING_NOT_FOUND');
      expect((await status('no-such-business')).json().code).toBe('BUSINESS_NOT_FOUND');
    });

    it('refuses onboardBusiness over GraphQL to a business key', async () => {
      const biz = await createBusiness(t.deps, 'gql-owner');
      const res = await t.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'x-api-key': biz.apiKey },
        payload: { query: 'mutation { onboardBusiness(input: { businessId: "gql-x", name: "X" }) { created } }' },
      });
      expect(res.json().errors[0].extensions.code).toBe('FORBIDDEN');
      expect(await t.deps.prisma.business.findUnique({ where: { id: 'gql-x' } })).toBeNull();
    });
  });
});
