import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProviders, twilioError, type FakeProviders, type FakeReply } from '../helpers/msw.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';

describe('send_sms: Twilio errors classified as transient or permanent', () => {
  let fake: FakeProviders;
  let f: SendingFixture;
  let n = 0;
  const queue = async (to = `+1415555${String(1000 + n++).padStart(4, '0')}`) => {
    const res = await f.post('/sms/send', { to, body: 'Hello from the spa', location_id: f.locationA });
    expect(res.status).toBe(202);
    return res.json.messages[0].message_id as string;
  };

  beforeAll(async () => {
    fake = startFakeProviders();
    f = await startSendingFixture({ channels: fake.channels({ timeoutMs: 300 }), maxAttempts: 3 });
  });
  afterAll(async () => {
    await f.close();
    fake.close();
  });
  beforeEach(async () => {
    fake.reset();
    await f.deps.pool.query('DELETE FROM graphile_worker._private_jobs');
  });

  it('retries after 429 (Twilio took nothing): back to queued with the error kept, the job retried with backoff, then sent without a check', async () => {
    const id = await queue();
    fake.twilioReply = (_req, attempt) => (attempt === 1 ? twilioError(429, 20429, 'Too Many Requests') : null);
    await f.runJobs();
    let m = await f.message(id);
    expect(m).toMatchObject({ status: 'queued', attempts: 1, errorCode: '20429' });
    const [job] = await f.jobs();
    expect(job).toMatchObject({ task_identifier: 'send_sms', attempts: 1, key: `send_sms:${id}` });
    expect(job!.last_error).toMatch(/transient provider failure/);
    expect(job!.run_at.getTime()).toBeGreaterThan(Date.now()); // graphile-worker's exponential backoff

    await f.makeJobsDue();
    await f.runJobs();
    m = await f.message(id);
    expect(m).toMatchObject({ status: 'sent', attempts: 2, errorCode: null, errorMessage: null });
    expect(fake.twilio).toHaveLength(2);
    expect((await f.events(id)).map((e) => e.type)).toEqual(['attempt', 'attempt_failed', 'attempt', 'sent']);
    expect(await f.jobs()).toHaveLength(0);
  });

  // Failures after which Twilio may have created the message are retried too, but the message
  // stays `sending` so the next attempt checks with Twilio first (test/sending/interruptedSend.test.ts
  // covers the check against the shared fake Twilio, with its list and filters).
  it.each([
    ['500 Internal Server Error', twilioError(500, 20500, 'Internal Server Error'), '20500'],
    ['503 without a JSON body', { status: 503, body: {} }, 'HTTP_503'],
    ['a network failure', 'network-error' as const, undefined],
    ['a timeout', { hangMs: 1_000 }, undefined],
  ])('after %s the message stays sending (Twilio may have it), the job is retried with backoff', async (_label, reply, code) => {
    const id = await queue();
    fake.twilioReply = () => reply as FakeReply;
    await f.runJobs();
    const m = await f.message(id);
    expect(m).toMatchObject({ status: 'sending', attempts: 1 });
    const last = (await f.events(id)).at(-1)!;
    expect(last).toMatchObject({ type: 'attempt_uncertain', status: 'sending' });
    if (code) expect(last.errorCode).toBe(code);
    else expect(last.errorCode).toMatch(/ECONNABORTED|ETIMEDOUT|ECONNRESET|NETWORK_ERROR/);
    const [job] = await f.jobs();
    expect(job).toMatchObject({ attempts: 1, key: `send_sms:${id}` });
    expect(job!.run_at.getTime()).toBeGreaterThan(Date.now());
  });

  it('fails for good after the configured attempts of transient errors, keeping the last error', async () => {
    const id = await queue();
    fake.twilioReply = () => twilioError(429, 20429, 'Too Many Requests');
    for (let i = 0; i < 3; i++) {
      await f.makeJobsDue();
      await f.runJobs();
    }
    const m = await f.message(id);
    expect(m).toMatchObject({ status: 'failed', attempts: 3, errorCode: '20429', errorMessage: 'Too Many Requests' });
    expect(m.failedAt).not.toBeNull();
    expect(fake.twilio).toHaveLength(3);
    expect(await f.jobs()).toHaveLength(0); // completed: nothing left to retry on its own
    const changes = (await f.inboxEvents(id)).filter((e) => e.type === 'message.status_changed').map((e) => e.payload.status);
    expect(changes).toEqual(['queued', 'queued', 'failed']);
  });

  it.each([
    [21211, "The 'To' number is not a valid phone number."],
    [21614, "'To' number is not a valid mobile number"],
    [21408, 'Permission to send an SMS has not been enabled for the region'],
  ])('fails at once on permanent error %i, with Twilio’s code and text, without retrying', async (code, text) => {
    const id = await queue();
    fake.twilioReply = () => twilioError(400, code, text);
    await f.runJobs();
    const m = await f.message(id);
    expect(m).toMatchObject({ status: 'failed', attempts: 1, errorCode: String(code), errorMessage: text });
    expect(fake.twilio).toHaveLength(1);
    expect(await f.jobs()).toHaveLength(0);
    const client = await f.deps.prisma.client.findUniqueOrThrow({ where: { id: m.clientId } });
    expect(client.smsOptOut).toBe(false);
  });

  it('fails on 21610 (replied STOP) and opts the client out, so the next send is refused with 409', async () => {
    const to = '+14155559876';
    const id = await queue(to);
    fake.twilioReply = () => twilioError(400, 21610, 'Attempt to send to unsubscribed recipient');
    await f.runJobs();
    const m = await f.message(id);
    expect(m).toMatchObject({ status: 'failed', errorCode: '21610' });
    const client = await f.deps.prisma.client.findUniqueOrThrow({ where: { id: m.clientId } });
    expect(client.smsOptOut).toBe(true);
    expect(client.smsOptOutAt).not.toBeNull();
    expect((await f.deps.pool.query(`SELECT type FROM inbox_events WHERE payload->>'clientId' = $1`, [client.id])).rows).toEqual([{ type: 'client.updated' }]);
    const again = await f.post('/sms/send', { to, body: 'Hello again' });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('CLIENT_OPTED_OUT');
  });

  it('does not call Twilio for a client who opted out after the message was queued', async () => {
    const id = await queue();
    const m0 = await f.message(id);
    await f.deps.prisma.client.update({ where: { id: m0.clientId }, data: { smsOptOut: true } });
    await f.runJobs();
    expect(fake.twilio).toHaveLength(0);
    expect(await f.message(id)).toMatchObject({ status: 'failed', errorCode: 'CLIENT_OPTED_OUT' });
  });

  it('rejects a malformed job payload at run time, naming it', async () => {
    await f.deps.pool.query(`SELECT graphile_worker.add_job('send_sms', '{"messageId": 42}'::json, max_attempts => 1)`);
    await f.runJobs();
    const [job] = await f.jobs();
    expect(job!.last_error).toContain('send_sms expects a payload { "messageId": "<uuid>" }, got {"messageId":42}');
  });
});
