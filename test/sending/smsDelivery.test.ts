import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProviders, twilioError, type FakeProviders } from '../helpers/msw.js';
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

  it.each([
    ['429 Too Many Requests', twilioError(429, 20429, 'Too Many Requests'), '20429'],
    ['500 Internal Server Error', twilioError(500, 20500, 'Internal Server Error'), '20500'],
    ['503 without a JSON body', { status: 503, body: {} }, 'HTTP_503'],
    ['a network failure', 'network-error' as const, undefined],
  ])('retries after %s: back to queued with the error kept, the job retried with backoff, then sent', async (_label, reply, code) => {
    const id = await queue();
    fake.twilioReply = (_req, attempt) => (attempt === 1 ? reply : null);
    await f.runJobs();
    let m = await f.message(id);
    expect(m).toMatchObject({ status: 'queued', attempts: 1 });
    if (code) expect(m.errorCode).toBe(code);
    else expect(m.errorCode).toBeTruthy();
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

  it('treats a provider timeout as transient', async () => {
    const id = await queue();
    fake.twilioReply = (_req, attempt) => (attempt === 1 ? { hangMs: 1_000 } : null);
    await f.runJobs();
    const m = await f.message(id);
    expect(m.status).toBe('queued');
    expect(m.errorCode).toMatch(/ECONNABORTED|ETIMEDOUT|NETWORK_ERROR/);
    await f.makeJobsDue();
    await f.runJobs();
    expect((await f.message(id)).status).toBe('sent');
  });

  it('fails for good after the configured attempts of transient errors, keeping the last error', async () => {
    const id = await queue();
    fake.twilioReply = () => twilioError(503, 20503, 'Service Unavailable');
    for (let i = 0; i < 3; i++) {
      await f.makeJobsDue();
      await f.runJobs();
    }
    const m = await f.message(id);
    expect(m).toMatchObject({ status: 'failed', attempts: 3, errorCode: '20503', errorMessage: 'Service Unavailable' });
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
