import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';
import { RESEND_KEY, startFakeProvisioning, TWILIO_SID, TWILIO_TOKEN, twilioError, type FakeProvisioning } from './fakeProvisioning.js';
import { runOnboardingStep } from '../../src/domain/onboarding/runOnboardingStep.js';
import { queuedJobs, runJobs } from '../helpers/jobs.js';

const BASE = 'https://omega.test';

/** 1,200 clients written the way exports write them: national phone formats, mixed-case emails. */
function clientRows(count: number, nameSuffix = '') {
  return Array.from({ length: count }, (_, i) => ({
    external_id: `cl-${i}`,
    first_name: `Client${nameSuffix}`,
    last_name: `N${i}`,
    phone: `(415) 55${String(i).padStart(5, '0').slice(0, 1)}-${String(i).padStart(4, '0').slice(-4)}`,
    email: `Client.${i}@Example.COM`,
    home_location_external_id: i % 2 ? 'uptown' : 'downtown',
    groups: i % 10 === 0 ? ['vip'] : [],
  }));
}

function acmeBody(overrides: Record<string, unknown> = {}) {
  return {
    business_id: 'acme-spa',
    name: 'Acme Spa',
    time_zone: 'America/Los_Angeles',
    settings: { quiet_hours: { start: '21:00', end: '08:00' }, default_sender_location_external_id: 'downtown' },
    locations: [
      {
        external_id: 'downtown',
        name: 'Acme Downtown',
        sms_sender: { type: 'provision', area_code: '415' },
        email_sender: { from_address: 'Downtown@Acme-Spa.com', from_name: 'Acme Downtown' },
      },
      {
        external_id: 'uptown',
        name: 'Acme Uptown',
        time_zone: 'America/Los_Angeles',
        sms_sender: { type: 'existing_number', phone_number: '(415) 555-0199' },
        email_sender: { from_address: 'uptown@acme-spa.com' },
      },
    ],
    staff: [
      { external_id: 'st-1', first_name: 'Maya', last_name: 'Lopez', email: 'Maya@Acme-Spa.com', role: 'manager' },
      { external_id: 'st-2', first_name: 'Jonas', location_external_ids: ['uptown'] },
    ],
    clients: clientRows(1200),
    ...overrides,
  };
}

describe('onboarding with Twilio and Resend (msw)', () => {
  let t: TestApp;
  let fake: FakeProvisioning;
  let service: string;
  const onboard = (body: unknown, key = service) => t.app.inject({ method: 'POST', url: '/business/onboard', headers: { 'x-api-key': key }, payload: body as object });
  const status = (businessId: string, key = service) => t.app.inject({ method: 'GET', url: `/business/${businessId}/onboarding-status`, headers: { 'x-api-key': key } });
  const gql = (query: string, variables: Record<string, unknown> = {}, key = service) =>
    t.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': key }, payload: { query, variables } });
  const step = async (businessId: string, name: string) => (await status(businessId)).json().steps.find((s: { name: string }) => s.name === name);

  beforeAll(async () => {
    fake = startFakeProvisioning();
    t = await startTestApp({ depsOptions: { publicBaseUrl: BASE, twilio: { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN }, resend: { apiKey: RESEND_KEY, webhookSecret: undefined } } });
    service = await createServiceKey(t.deps);
  });
  afterAll(async () => {
    await t.close();
    fake.close();
  });

  it('creates the business, its records, steps and their jobs in one go, and returns a business key once', async () => {
    fake.addNumber('+14155550199');
    fake.available.set('415', ['+14155550123', '+14155550124']);
    const res = await onboard(acmeBody());
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ business_id: 'acme-spa', created: true, status: 'pending', completed_at: null });
    expect(body.api_key.key).toMatch(/^omega_bk_/);
    expect(body.steps.map((s: { name: string; kind: string; status: string }) => [s.name, s.kind, s.status])).toEqual([
      ['sms_sender:downtown', 'sms_sender', 'pending'],
      ['sms_sender:uptown', 'sms_sender', 'pending'],
      ['email_domain:acme-spa.com', 'email_domain', 'pending'],
      ['client_import', 'client_import', 'pending'],
    ]);
    expect(body.locations.map((l: { external_id: string }) => l.external_id)).toEqual(['downtown', 'uptown']);

    const jobs = await queuedJobs(t.deps.pool);
    expect(jobs.map((j) => j.task_identifier).sort()).toEqual(['onboard_client_import', 'onboard_email_domain', 'onboard_sms_sender', 'onboard_sms_sender']);
    const stepIds = (await t.deps.prisma.onboardingStep.findMany({ select: { id: true } })).map((s) => s.id);
    for (const job of jobs) expect(stepIds.map((id) => `${job.task_identifier}:${id}`)).toContain(job.key);

    const business = await t.deps.prisma.business.findUniqueOrThrow({ where: { id: 'acme-spa' } });
    const downtown = await t.deps.prisma.location.findFirstOrThrow({ where: { businessId: 'acme-spa', externalId: 'downtown' } });
    expect(business).toMatchObject({ name: 'Acme Spa', timeZone: 'America/Los_Angeles' });
    expect(business.settings).toEqual({ quietHours: { start: '21:00', end: '08:00' }, defaultSenderLocationId: downtown.id });
    expect(downtown).toMatchObject({ emailFrom: 'downtown@acme-spa.com', emailFromName: 'Acme Downtown', smsPhoneNumber: null });
    const staff = await t.deps.prisma.staff.findMany({ where: { businessId: 'acme-spa' }, orderBy: { externalId: 'asc' } });
    const uptown = await t.deps.prisma.location.findFirstOrThrow({ where: { businessId: 'acme-spa', externalId: 'uptown' } });
    expect(staff.map((s) => [s.externalId, s.email, s.locationIds.length])).toEqual([
      ['st-1', 'maya@acme-spa.com', 2],
      ['st-2', null, 1],
    ]);
    expect(staff[1]!.locationIds).toEqual([uptown.id]);
    expect(await t.deps.prisma.client.count({ where: { businessId: 'acme-spa' } })).toBe(0);

    // The key returned works for the business's own routes.
    const own = await t.app.inject({ method: 'GET', url: '/businesses/acme-spa/locations', headers: { 'x-api-key': body.api_key.key } });
    expect(own.statusCode).toBe(200);
  });

  it('runs the steps as graphile-worker jobs: number bought and attached, domain registered, clients imported', async () => {
    await runJobs(t.deps);
    const res = await status('acme-spa');
    const body = res.json();
    expect(body.status).toBe('succeeded');
    expect(body.completed_at).not.toBeNull();
    for (const s of body.steps) expect([s.name, s.status, s.attempts, s.error_code]).toEqual([s.name, 'succeeded', 1, null]);

    const webhooks = { smsUrl: `${BASE}/twilio/sms/incoming`, voiceUrl: `${BASE}/voice-calls/twiml`, statusCallback: `${BASE}/twilio/voice/status` };
    const downtown = body.steps.find((s: { name: string }) => s.name === 'sms_sender:downtown');
    expect(downtown.result).toMatchObject({ type: 'provision', areaCode: '415', phoneNumber: '+14155550123', reused: false, sandbox: false, webhooks });
    const bought = [...fake.numbers.values()].find((n) => n.phone_number === '+14155550123')!;
    expect(bought).toMatchObject({ sms_url: webhooks.smsUrl, voice_url: webhooks.voiceUrl, status_callback: webhooks.statusCallback });
    expect(bought.friendly_name).toMatch(/^omega:acme-spa:/);
    const attached = [...fake.numbers.values()].find((n) => n.phone_number === '+14155550199')!;
    expect(attached).toMatchObject({ sms_url: webhooks.smsUrl, voice_url: webhooks.voiceUrl });
    // The SDK authenticated with our account.
    const auth = `Basic ${Buffer.from(`${TWILIO_SID}:${TWILIO_TOKEN}`).toString('base64')}`;
    expect(fake.requests.filter((r) => r.url.includes('twilio.com')).every((r) => r.authorization === auth)).toBe(true);

    const locations = await t.deps.prisma.location.findMany({ where: { businessId: 'acme-spa' }, orderBy: { externalId: 'asc' } });
    expect(locations.map((l) => [l.externalId, l.smsPhoneNumber, l.smsNumberSid])).toEqual([
      ['downtown', '+14155550123', bought.sid],
      ['uptown', '+14155550199', attached.sid],
    ]);

    const domainStep = body.steps.find((s: { name: string }) => s.name === 'email_domain:acme-spa.com');
    expect(domainStep.result).toMatchObject({ domain: 'acme-spa.com', provider: 'resend', status: 'not_started', verified: false });
    expect(domainStep.result.records).toHaveLength(2);
    const domain = await t.deps.prisma.emailDomain.findFirstOrThrow({ where: { businessId: 'acme-spa' } });
    expect(domain).toMatchObject({ domain: 'acme-spa.com', provider: 'resend', status: 'not_started', verifiedAt: null });
    expect(fake.requests.some((r) => r.url.endsWith(`/domains/${domain.providerDomainId}/verify`))).toBe(true);

    expect(body.steps.find((s: { name: string }) => s.name === 'client_import').result).toMatchObject({ total: 1200, imported: 1200, created: 1200, updated: 0 });
    expect(await t.deps.prisma.client.count({ where: { businessId: 'acme-spa' } })).toBe(1200);
    const c7 = await t.deps.prisma.client.findFirstOrThrow({ where: { businessId: 'acme-spa', externalId: 'cl-7' } });
    const up = locations.find((l) => l.externalId === 'uptown')!;
    expect(c7).toMatchObject({ phones: ['+14155500007'], emails: ['client.7@example.com'], homeLocationId: up.id });
    // The bulk rows are not kept on the step once imported.
    const { rows } = await t.deps.pool.query(`SELECT input ? 'rows' AS has_rows FROM onboarding_steps WHERE name = 'client_import'`);
    expect(rows[0].has_rows).toBe(false);
    expect(await queuedJobs(t.deps.pool)).toEqual([]);
  });

  it('onboarding again updates instead of duplicating, re-runs only what changed, and refreshes the email domain', async () => {
    const before = await t.deps.prisma.onboardingStep.findMany({ orderBy: { name: 'asc' } });
    const bought = fake.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/IncomingPhoneNumbers.json')).length;
    const clients = clientRows(1201, ' Renamed');
    const res = await onboard(acmeBody({ name: 'Acme Spa & Wellness', clients, staff: [{ external_id: 'st-1', first_name: 'Maya', last_name: 'Lopez-Berg' }] }));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ created: false, api_key: null, status: 'running' });
    expect(await t.deps.prisma.business.count()).toBe(1);
    expect(await t.deps.prisma.location.count({ where: { businessId: 'acme-spa' } })).toBe(2);
    expect(await t.deps.prisma.staff.count({ where: { businessId: 'acme-spa' } })).toBe(2);
    expect((await t.deps.prisma.staff.findFirstOrThrow({ where: { externalId: 'st-1' } })).lastName).toBe('Lopez-Berg');
    expect(await t.deps.prisma.apiKey.count({ where: { businessId: 'acme-spa' } })).toBe(1);
    expect(await t.deps.prisma.onboarding.count()).toBe(1);

    // Unchanged SMS steps stay done; the unverified domain and the changed import run again.
    const pending = body.steps.filter((s: { status: string }) => s.status === 'pending').map((s: { name: string }) => s.name);
    expect(pending).toEqual(['email_domain:acme-spa.com', 'client_import']);
    expect((await queuedJobs(t.deps.pool)).map((j) => j.task_identifier).sort()).toEqual(['onboard_client_import', 'onboard_email_domain']);

    fake.domains.forEach((d) => (d.status = 'verified'));
    await runJobs(t.deps);
    const after = (await status('acme-spa')).json();
    expect(after.status).toBe('succeeded');
    expect(after.steps.find((s: { name: string }) => s.name === 'client_import').result).toMatchObject({ total: 1201, created: 1, updated: 1200 });
    expect(await t.deps.prisma.client.count({ where: { businessId: 'acme-spa' } })).toBe(1201);
    expect((await t.deps.prisma.client.findFirstOrThrow({ where: { externalId: 'cl-3' } })).firstName).toBe('Client Renamed');
    const domain = await t.deps.prisma.emailDomain.findFirstOrThrow({ where: { businessId: 'acme-spa' } });
    expect(domain.status).toBe('verified');
    expect(domain.verifiedAt).toBeInstanceOf(Date);
    expect(await t.deps.prisma.emailDomain.count()).toBe(1);
    // Nothing was bought twice, and the SMS steps were not run again.
    expect(fake.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/IncomingPhoneNumbers.json')).length).toBe(bought);
    const sms = (await t.deps.prisma.onboardingStep.findMany({ where: { name: { startsWith: 'sms_sender' } }, orderBy: { name: 'asc' } })).map((s) => s.attempts);
    expect(sms).toEqual(before.filter((s) => s.name.startsWith('sms_sender')).map((s) => s.attempts));

    // A third identical call queues nothing at all.
    const again = await onboard(acmeBody({ name: 'Acme Spa & Wellness', clients, staff: [{ external_id: 'st-1', first_name: 'Maya', last_name: 'Lopez-Berg' }] }));
    expect(again.json().status).toBe('succeeded');
    expect(await queuedJobs(t.deps.pool)).toEqual([]);
  });

  it('keeps an imported client’s consent and the numbers it was reached on since', async () => {
    await t.deps.prisma.client.updateMany({ where: { externalId: 'cl-5' }, data: { smsOptOut: true, phones: { push: '+14155559999' } } });
    const res = await onboard({ business_id: 'acme-spa', name: 'Acme Spa & Wellness', clients: [{ external_id: 'cl-5', phone: '+1 415 555 0005', first_name: null }] });
    expect(res.statusCode).toBe(200);
    await runJobs(t.deps);
    const c = await t.deps.prisma.client.findFirstOrThrow({ where: { externalId: 'cl-5' } });
    expect(c).toMatchObject({ smsOptOut: true, firstName: 'Client Renamed', phones: ['+14155550005', '+14155559999'] });
  });

  it('records a Twilio refusal as a failed step with its code, and retries it on request', async () => {
    fake.available.set('212', ['+12125550100']);
    fake.fail.buy = [twilioError(400, 21422, 'PhoneNumber Requested is not available')];
    const res = await onboard({ business_id: 'bolt-gym', name: 'Bolt Gym', locations: [{ external_id: 'main', name: 'Main', sms_sender: { type: 'provision', area_code: '212' } }] });
    expect(res.statusCode).toBe(201);
    await runJobs(t.deps);
    const failed = await step('bolt-gym', 'sms_sender:main');
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, error_code: 'TWILIO_21422' });
    expect(failed.error_message).toMatch(/PhoneNumber Requested is not available/);
    expect((await status('bolt-gym')).json().status).toBe('failed');
    // A permanent refusal is not retried by the queue.
    expect(await queuedJobs(t.deps.pool)).toEqual([]);

    // Retrying a step that has not failed is refused.
    const notFailed = await gql('mutation ($i: RetryOnboardingStepInput!) { retryOnboardingStep(input: $i) { status } }', { i: { businessId: 'acme-spa', step: 'client_import' } });
    expect(notFailed.json().errors[0].extensions.code).toBe('STEP_NOT_FAILED');

    const retried = await gql('mutation ($i: RetryOnboardingStepInput!) { retryOnboardingStep(input: $i) { name status attempts errorCode } }', {
      i: { businessId: 'bolt-gym', step: 'sms_sender:main' },
    });
    expect(retried.json().data.retryOnboardingStep).toEqual({ name: 'sms_sender:main', status: 'pending', attempts: 1, errorCode: null });
    expect((await status('bolt-gym')).json().status).toBe('pending');
    await runJobs(t.deps);
    const ok = await step('bolt-gym', 'sms_sender:main');
    expect(ok).toMatchObject({ status: 'succeeded', attempts: 2, error_code: null, result: { phoneNumber: '+12125550100' } });
    expect((await status('bolt-gym')).json().status).toBe('succeeded');
  });

  it('leaves a step pending with its error while the queue retries a passing failure, and fails it on a permanent one', async () => {
    fake.fail.search = [twilioError(503, 20503, 'Service temporarily unavailable')];
    await onboard({ business_id: 'calm-yoga', name: 'Calm Yoga', locations: [{ external_id: 'studio', name: 'Studio', sms_sender: { type: 'provision', area_code: '646' } }] });
    await runJobs(t.deps);
    const waiting = await step('calm-yoga', 'sms_sender:studio');
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, error_code: 'TWILIO_20503' });
    expect(waiting.error_message).toMatch(/retrying automatically/);
    const [job] = await queuedJobs(t.deps.pool);
    expect(job).toMatchObject({ task_identifier: 'onboard_sms_sender', attempts: 1 });
    expect(job!.last_error).toMatch(/Service temporarily unavailable/);
    expect(job!.run_at.getTime()).toBeGreaterThan(Date.now());

    // Later attempts: no numbers in 646, a permanent failure.
    await t.deps.pool.query(`UPDATE graphile_worker._private_jobs SET run_at = now()`);
    await runJobs(t.deps);
    const failed = await step('calm-yoga', 'sms_sender:studio');
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, error_code: 'NO_NUMBERS_AVAILABLE' });

    // Onboarding again with another area code re-runs the failed step.
    fake.available.set('917', ['+19175550100']);
    const again = await onboard({ business_id: 'calm-yoga', name: 'Calm Yoga', locations: [{ external_id: 'studio', name: 'Studio', sms_sender: { type: 'provision', area_code: '917' } }] });
    expect(again.json().steps[0]).toMatchObject({ status: 'pending', error_code: null });
    await runJobs(t.deps);
    expect(await step('calm-yoga', 'sms_sender:studio')).toMatchObject({ status: 'succeeded', result: { phoneNumber: '+19175550100' } });
  });

  it('fails the step instead of retrying when the last attempt hits a passing failure', async () => {
    fake.available.set('305', ['+13055550100']);
    await onboard({ business_id: 'last-try', name: 'Last Try', locations: [{ external_id: 'm', name: 'M', sms_sender: { type: 'provision', area_code: '305' } }] });
    const { id } = await t.deps.prisma.onboardingStep.findFirstOrThrow({ where: { businessId: 'last-try' } });
    fake.fail.search = [twilioError(503, 20503, 'Service temporarily unavailable')];
    const outcome = await runOnboardingStep(t.deps, { stepId: id, kind: 'sms_sender', attempt: 5, maxAttempts: 5 });
    expect(outcome).toBe('failed');
    expect(await step('last-try', 'sms_sender:m')).toMatchObject({ status: 'failed', error_code: 'TWILIO_20503' });
    // The job queued by onboarding finds the step already failed and does nothing.
    await runJobs(t.deps);
    expect(await step('last-try', 'sms_sender:m')).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('re-runs a failed step when the same request is sent again (REST retry)', async () => {
    await onboard({ business_id: 'dune-salon', name: 'Dune', locations: [{ external_id: 'a', name: 'A', sms_sender: { type: 'existing_number', phone_number: '+14155550777' } }] });
    await runJobs(t.deps);
    expect(await step('dune-salon', 'sms_sender:a')).toMatchObject({ status: 'failed', error_code: 'SMS_NUMBER_NOT_IN_ACCOUNT' });
    fake.addNumber('+14155550777'); // ported into the account meanwhile
    await onboard({ business_id: 'dune-salon', name: 'Dune', locations: [{ external_id: 'a', name: 'A', sms_sender: { type: 'existing_number', phone_number: '+14155550777' } }] });
    await runJobs(t.deps);
    expect(await step('dune-salon', 'sms_sender:a')).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('attaches a messaging service and points its webhooks at us', async () => {
    const sid = `MG${'c3'.repeat(16)}`;
    fake.services.set(sid, { sid, friendly_name: 'Elm', inbound_request_url: null, status_callback: null });
    await onboard({ business_id: 'elm-clinic', name: 'Elm', locations: [{ external_id: 'x', name: 'X', sms_sender: { type: 'messaging_service', messaging_service_sid: sid } }] });
    await runJobs(t.deps);
    expect(await step('elm-clinic', 'sms_sender:x')).toMatchObject({ status: 'succeeded', result: { messagingServiceSid: sid } });
    expect(fake.services.get(sid)).toMatchObject({ inbound_request_url: `${BASE}/twilio/sms/incoming`, status_callback: `${BASE}/twilio/sms/status` });
    expect((await t.deps.prisma.location.findFirstOrThrow({ where: { businessId: 'elm-clinic' } })).messagingServiceSid).toBe(sid);
  });

  it('refuses a number that another business already uses (409) and changes nothing', async () => {
    const res = await onboard({ business_id: 'fern', name: 'Fern', locations: [{ external_id: 'a', name: 'A', sms_sender: { type: 'existing_number', phone_number: '+14155550199' } }] });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ code: 'SMS_NUMBER_IN_USE', detail: expect.stringContaining('another business') });
    expect(await t.deps.prisma.business.findUnique({ where: { id: 'fern' } })).toBeNull();
  });

  it('onboards through GraphQL too, and reports the status there', async () => {
    const res = await gql(
      `mutation ($i: OnboardBusinessInput!) { onboardBusiness(input: $i) {
         created apiKey { key } business { businessId timeZone quietHours { start end } }
         onboarding { status steps { name status } } locations { id externalId } } }`,
      { i: { businessId: 'gql-spa', name: 'GQL Spa', timeZone: 'Europe/Paris', settings: { quietHours: { start: '20:00', end: '09:00' } }, locations: [{ externalId: 'one', name: 'One' }] } },
    );
    const data = res.json().data.onboardBusiness;
    expect(data).toMatchObject({
      created: true,
      business: { businessId: 'gql-spa', timeZone: 'Europe/Paris', quietHours: { start: '20:00', end: '09:00' } },
      onboarding: { status: 'succeeded', steps: [] },
    });
    expect(data.apiKey.key).toMatch(/^omega_bk_/);
    const st = await gql('query { onboardingStatus(businessId: "acme-spa") { status steps { name kind status attempts result } } }', {}, data.apiKey.key);
    expect(st.json().errors[0].extensions.code).toBe('FORBIDDEN');
    const own = await gql('query { onboardingStatus(businessId: "gql-spa") { status } business(id: "gql-spa") { onboarding { status } } }', {}, data.apiKey.key);
    expect(own.json().data).toEqual({ onboardingStatus: { status: 'succeeded' }, business: { onboarding: { status: 'succeeded' } } });
  });
});
