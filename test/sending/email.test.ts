import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resendError, startFakeProviders, type FakeProviders } from '../helpers/msw.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';

describe('POST /email/send and send_email through the Resend SDK', () => {
  let fake: FakeProviders;
  let f: SendingFixture;

  beforeAll(async () => {
    fake = startFakeProviders();
    f = await startSendingFixture({ channels: fake.channels(), maxAttempts: 3 });
  });
  afterAll(async () => {
    await f.close();
    fake.close();
  });
  beforeEach(async () => {
    fake.reset();
    await f.deps.pool.query('DELETE FROM graphile_worker._private_jobs');
  });

  it('queues an email and sends it with the idempotency key email/<messageId> from the location sender', async () => {
    const res = await f.post('/email/send', { to: ' Olivia@Example.com ', subject: 'Your booking', html: '<p>See you <b>Friday</b></p>', text: 'See you Friday', location_id: f.locationA });
    expect(res.status).toBe(202);
    const [queued] = res.json.messages;
    expect(queued).toMatchObject({ to: 'olivia@example.com', status: 'queued', created: true });
    expect(res.json.segments).toBeUndefined();
    const jobs = await f.jobs();
    expect(jobs[0]).toMatchObject({ task_identifier: 'send_email', key: `send_email:${queued.message_id}` });

    await f.runJobs();
    expect(fake.resend).toEqual([
      {
        idempotencyKey: `email/${queued.message_id}`,
        from: '"Downtown Spa" <downtown@spa.test>',
        to: ['olivia@example.com'],
        subject: 'Your booking',
        html: '<p>See you <b>Friday</b></p>',
        text: 'See you Friday',
        // Resend sends them back in its delivery events (applyResendEvent).
        tags: [
          { name: 'omega_message_id', value: queued.message_id },
          { name: 'omega_business_id', value: f.businessId },
        ],
      },
    ]);
    const m = await f.message(queued.message_id);
    expect(m).toMatchObject({ channel: 'email', status: 'sent', provider: 'resend', attempts: 1, subject: 'Your booking', body: 'See you Friday' });
    expect(m.providerMessageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('retries a rate-limited send; the retry carries the same idempotency key, so Resend sends one email', async () => {
    const res = await f.post('/email/send', { to: 'liam@example.com', subject: 'Hi', text: 'Plain text only' });
    const id = res.json.messages[0].message_id;
    fake.resendReply = (_req, n) => (n === 1 ? resendError(429, 'rate_limit_exceeded', 'Too many requests') : null);
    await f.runJobs();
    expect(await f.message(id)).toMatchObject({ status: 'queued', errorCode: 'rate_limit_exceeded' });
    await f.makeJobsDue();
    await f.runJobs();
    expect(await f.message(id)).toMatchObject({ status: 'sent', attempts: 2, errorCode: null });
    expect(fake.resend.map((r) => r.idempotencyKey)).toEqual([`email/${id}`, `email/${id}`]);
  });

  it('treats a 500 and a network failure as transient', async () => {
    const res = await f.post('/email/send', { recipients: [{ to: 'a@example.com' }, { to: 'b@example.com' }], subject: 'Hi', text: 'x' });
    const [a, b] = res.json.message_ids;
    fake.resendReply = (req, n) => (n > 1 ? null : req.to[0] === 'a@example.com' ? resendError(500, 'internal_server_error', 'boom') : 'network-error');
    await f.runJobs();
    expect(await f.message(a)).toMatchObject({ status: 'queued', errorCode: 'internal_server_error' });
    expect(await f.message(b)).toMatchObject({ status: 'queued', errorCode: 'application_error' });
    await f.makeJobsDue();
    await f.runJobs();
    expect((await f.message(a)).status).toBe('sent');
    expect((await f.message(b)).status).toBe('sent');
  });

  it('fails at once on a validation error, with Resend’s name and message', async () => {
    const res = await f.post('/email/send', { to: 'noah@example.com', subject: 'Hi', html: '<p>x</p>' });
    const id = res.json.messages[0].message_id;
    fake.resendReply = () => resendError(422, 'validation_error', 'Invalid `from` field. The email address needs to follow the `email@example.com` format.');
    await f.runJobs();
    expect(await f.message(id)).toMatchObject({ status: 'failed', errorCode: 'validation_error', attempts: 1 });
    expect((await f.message(id)).errorMessage).toContain('Invalid `from` field');
    expect(fake.resend).toHaveLength(1);
    expect(await f.jobs()).toHaveLength(0);
  });

  it('uses the configured default sender when the location has no address', async () => {
    const bare = await f.deps.prisma.location.create({ data: { businessId: f.businessId, name: 'Annex' } });
    const res = await f.post('/email/send', { to: 'ava@example.com', subject: 'Hi', text: 'x', location_id: bare.id });
    expect(res.status).toBe(202);
    await f.runJobs();
    expect(fake.resend[0]!.from).toBe('Omega Test <no-reply@omega.test>');
  });

  it('refuses a suppressed address with 409 EMAIL_SUPPRESSED', async () => {
    await f.deps.prisma.client.create({ data: { businessId: f.businessId, emails: ['bounced@example.com'], emailSuppressed: true, emailSuppressionReason: 'bounced' } });
    const res = await f.post('/email/send', { to: 'Bounced@Example.com', subject: 'Hi', text: 'x' });
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('EMAIL_SUPPRESSED');
  });

  it('validates subject and content', async () => {
    const noBody = await f.post('/email/send', { to: 'x@example.com', subject: 'Hi' });
    expect(noBody.status).toBe(422);
    expect(noBody.json.detail[0]).toMatchObject({ loc: ['body', 'html'], type: 'missing' });
    const injected = await f.post('/email/send', { to: 'x@example.com', subject: 'Hi\r\nBcc: everyone@example.com', text: 'x' });
    expect(injected.status).toBe(422);
    expect(injected.json.detail[0].loc).toEqual(['body', 'subject']);
    const badAddress = await f.post('/email/send', { recipients: [{ to: 'ok@example.com' }, { to: 'not-an-address' }], subject: 'Hi', text: 'x' });
    expect(badAddress.status).toBe(422);
    expect(badAddress.json.detail[0]).toMatchObject({ loc: ['body', 'recipients', 1, 'to'], input: 'not-an-address' });
    expect(await f.deps.prisma.message.count({ where: { toAddress: 'ok@example.com' } })).toBe(0);
  });
});
