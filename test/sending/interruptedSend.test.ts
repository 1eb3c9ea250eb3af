import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioSmsChannel, TWILIO_LIST_SETTLE_MS } from '../../src/channels/twilio/createTwilioSmsChannel.js';
import type { SmsChannel } from '../../src/channels/types.js';
import { claimMessagesForSend, claimStatement } from '../../src/db/sql/claimMessagesForSend.js';
import { deliverMessage } from '../../src/domain/sending/deliverMessage.js';
import { CLOCK_MARGIN_MS } from '../../src/domain/sending/matchInterruptedSms.js';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fakeTwilio.js';
import { twilioErrorBody } from '../helpers/fakeTwilioMessages.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';
import { pgSql } from '../../src/db/sqlHandle.js';

// A message left `sending` by an interrupted attempt (the worker died mid-call) is checked with the
// provider before it is sent again. The interruption is made here with the real claim statement
// and, for an attempt that reached the provider, the real SDK call whose answer is then dropped.
async function interruptedMessage(f: SendingFixture, sms: SmsChannel, n: number, options: { reached: boolean; body?: string; location?: string }) {
  const to = `+1415555${String(4000 + n)}`;
  const body = options.body ?? 'Your appointment is tomorrow at 3pm';
  const res = await f.post('/sms/send', { to, body, location_id: options.location ?? f.locationA });
  expect(res.status).toBe(202);
  const id: string = res.json.message_ids[0];
  const [claimed] = await claimMessagesForSend(pgSql(f.deps.pool), [{ messageId: id, jobAttempt: 1 }], claimStatement('sms', ['queued']));
  expect(claimed).toBeDefined();
  // After a crash, the check runs once the dead worker's jobs are released, minutes after the
  // claim (OMEGA_WORKER_DEAD_AFTER_SECONDS): the claim is dated back by that, before the provider call.
  const { rows } = await f.deps.pool.query(`UPDATE messages SET claimed_at = claimed_at - interval '5 minutes' WHERE id = $1 RETURNING claimed_at`, [id]);
  const claimedAt = rows[0].claimed_at as Date;
  if (options.reached) {
    const sender = options.location === f.locationB ? { messagingServiceSid: `MG${'b2'.repeat(16)}` } : { from: '+15005550006' };
    expect(await sms.send({ messageId: id, businessId: f.businessId, attempt: 1, to, body, mediaUrls: [], sender })).toMatchObject({ ok: true });
  }
  return { id, to, body, claimedAt };
}

describe('an SMS interrupted mid-send, checked with Twilio (the fake) before sending again', () => {
  let fake: FakeTwilio;
  let f: SendingFixture;
  let sms: SmsChannel;
  let n = 0;

  beforeAll(async () => {
    fake = await startFakeTwilio();
    sms = createTwilioSmsChannel({ accountSid: fake.accountSid, authToken: fake.authToken, apiBaseUrl: fake.url, publicBaseUrl: 'https://omega.test', defaultSender: null, timeoutMs: 2_000 });
    f = await startSendingFixture({ channels: { sms } });
  });
  afterAll(async () => {
    await f.close();
    await fake.close();
  });
  beforeEach(async () => {
    fake.reset();
    await f.deps.pool.query('DELETE FROM graphile_worker._private_jobs');
  });

  it('adopts the message the interrupted attempt created: recorded as sent with its sid, nothing sent again', async () => {
    const m = await interruptedMessage(f, sms, n++, { reached: true });
    const [created] = fake.createsFor(m.id);
    await f.runJobs();
    expect(fake.createsFor(m.id)).toHaveLength(1);
    expect(await f.message(m.id)).toMatchObject({ status: 'sent', provider: 'twilio', providerMessageId: created!.sid, attempts: 2, fromAddress: '+15005550006' });
    const events = await f.events(m.id);
    expect(events.map((e) => e.type)).toEqual(['attempt', 'attempt', 'sent']);
    expect(events[1]!.payload).toMatchObject({ afterInterruptedSend: true });
    expect(new Date((events[1]!.payload as { claimedAt: string }).claimedAt)).toEqual(m.claimedAt); // the interrupted claim's time, kept
    expect(events[2]!.payload).toMatchObject({ interrupted: 'adopted', providerStatus: 'sent' });
    // One list, by recipient, from the UTC day of the margin's start.
    const lists = fake.received.filter((r) => r.method === 'GET');
    expect(lists).toHaveLength(1);
    expect(lists[0]!.query.get('To')).toBe(m.to);
    expect(lists[0]!.query.get('DateSent>')).toBe(`${new Date(m.claimedAt.getTime() - CLOCK_MARGIN_MS).toISOString().slice(0, 10)}T00:00:00Z`);
    expect(await f.jobs()).toHaveLength(0);
  });

  it('adopts through a messaging service, whose number Twilio picked', async () => {
    const m = await interruptedMessage(f, sms, n++, { reached: true, location: f.locationB });
    fake.numbers.addService(`MG${'b2'.repeat(16)}`, ['+15005550042']);
    await f.runJobs();
    expect(fake.createsFor(m.id)).toHaveLength(1);
    expect(await f.message(m.id)).toMatchObject({ status: 'sent', providerMessageId: fake.createsFor(m.id)[0]!.sid });
  });

  it('sends when the interrupted attempt never reached Twilio', async () => {
    const m = await interruptedMessage(f, sms, n++, { reached: false });
    await f.runJobs();
    expect(fake.createsFor(m.id)).toHaveLength(1);
    expect(await f.message(m.id)).toMatchObject({ status: 'sent', providerMessageId: fake.createsFor(m.id)[0]!.sid, attempts: 2 });
    expect((await f.events(m.id)).at(-1)!.payload).toMatchObject({ interrupted: 'resent' });
  });

  it('sends when the recipient’s other messages only look alike: older, another body, another sender, or to someone else', async () => {
    const m = await interruptedMessage(f, sms, n++, { reached: false });
    const after = new Date(m.claimedAt.getTime() + 1_000);
    fake.addMessage({ to: m.to, from: '+15005550006', body: m.body, dateCreated: new Date(m.claimedAt.getTime() - CLOCK_MARGIN_MS - 1_000) });
    fake.addMessage({ to: m.to, from: '+15005550006', body: `${m.body}!`, dateCreated: after });
    fake.addMessage({ to: m.to, from: '+15005550099', body: m.body, dateCreated: after });
    fake.addMessage({ to: '+14155559999', from: '+15005550006', body: m.body, dateCreated: after });
    fake.addMessage({ to: m.to, from: '+15005550006', body: m.body, dateCreated: after, dateSent: new Date(m.claimedAt.getTime() - 2 * 86_400_000) });
    await f.runJobs();
    expect(fake.createsFor(m.id)).toHaveLength(1);
    expect(fake.messages).toHaveLength(6);
  });

  it('does not adopt a message another Omega message carries (two identical messages to one client)', async () => {
    const b = await interruptedMessage(f, sms, n, { reached: false });
    const a = (await f.post('/sms/send', { to: b.to, body: b.body, location_id: f.locationA })).json.message_ids[0] as string;
    expect(await deliverMessage(f.deps, { messageId: a, channel: 'sms', jobAttempt: 1, jobMaxAttempts: 25 })).toMatchObject({ outcome: 'sent', interrupted: null });
    n++;
    expect(await deliverMessage(f.deps, { messageId: b.id, channel: 'sms', jobAttempt: 1, jobMaxAttempts: 25 })).toMatchObject({ outcome: 'sent', interrupted: 'resent' });
    expect(fake.createsFor(a)).toHaveLength(1);
    expect(fake.createsFor(b.id)).toHaveLength(1);
    expect((await f.message(b.id)).providerMessageId).toBe(fake.createsFor(b.id)[0]!.sid);
  });

  it('stays sending and retries, sending nothing, while Twilio cannot be asked; then adopts', async () => {
    const m = await interruptedMessage(f, sms, n++, { reached: true });
    fake.intercept = (req) => (req.method === 'GET' ? { status: 503, body: twilioErrorBody(503, 20503, 'Service Unavailable') } : null);
    await f.runJobs();
    expect(await f.message(m.id)).toMatchObject({ status: 'sending', attempts: 2 });
    expect((await f.events(m.id)).at(-1)).toMatchObject({ type: 'attempt_unconfirmed', status: 'sending', errorCode: '20503' });
    const [job] = await f.jobs();
    expect(job!.last_error).toMatch(/could not check whether the interrupted attempt was sent \(20503/);
    expect(fake.createsFor(m.id)).toHaveLength(1);

    fake.intercept = () => null;
    await f.makeJobsDue();
    await f.runJobs();
    expect(await f.message(m.id)).toMatchObject({ status: 'sent', providerMessageId: fake.createsFor(m.id)[0]!.sid, attempts: 3 });
    expect(fake.createsFor(m.id)).toHaveLength(1);
  });

  it('a send whose answer never came (a timeout) stays sending, and the next attempt adopts what Twilio created', async () => {
    fake.answer = (_request, count) => (count === 1 ? 'accept-and-hang' : 'accept');
    const res = await f.post('/sms/send', { to: '+14155554900', body: 'Timed out once', location_id: f.locationA });
    const id: string = res.json.message_ids[0];
    await f.runJobs(); // the channel gives up after 2 s
    expect(await f.message(id)).toMatchObject({ status: 'sending', attempts: 1 });
    expect((await f.events(id)).at(-1)).toMatchObject({ type: 'attempt_uncertain', status: 'sending', errorCode: 'ETIMEDOUT' });
    fake.dropHeld();
    await f.makeJobsDue();
    await f.runJobs();
    expect(fake.createsFor(id)).toHaveLength(1);
    expect(await f.message(id)).toMatchObject({ status: 'sent', providerMessageId: fake.createsFor(id)[0]!.sid, attempts: 2 });
    expect((await f.events(id)).at(-1)!.payload).toMatchObject({ interrupted: 'adopted' });
  });

  it("a connection dropped before Twilio created anything: the check finds nothing, waits a minute for Twilio's list, then sends once", async () => {
    fake.answer = (_request, count) => (count === 1 ? 'reset' : 'accept');
    const res = await f.post('/sms/send', { to: '+14155554901', body: 'Dropped once', location_id: f.locationA });
    const id: string = res.json.message_ids[0];
    await f.runJobs();
    expect(await f.message(id)).toMatchObject({ status: 'sending' });
    await f.makeJobsDue();
    await f.runJobs(); // seconds after the attempt: not listed proves nothing yet
    expect(await f.message(id)).toMatchObject({ status: 'sending' });
    expect((await f.events(id)).at(-1)).toMatchObject({ type: 'attempt_unconfirmed', errorCode: 'NOT_LISTED_YET' });
    expect(fake.createsFor(id)).toHaveLength(0);
    await f.deps.pool.query(`UPDATE messages SET claimed_at = claimed_at - make_interval(secs => $2::int / 1000.0) WHERE id = $1`, [id, TWILIO_LIST_SETTLE_MS]);
    await f.makeJobsDue();
    await f.runJobs();
    expect(fake.createsFor(id)).toHaveLength(1);
    expect(await f.message(id)).toMatchObject({ status: 'sent', providerMessageId: fake.createsFor(id)[0]!.sid });
    expect((await f.events(id)).at(-1)!.payload).toMatchObject({ interrupted: 'resent' });
  });

  it('a message Twilio still queued when the answer was lost is not listed: the check waits, and adopts it once Twilio sends it', async () => {
    fake.answer = (_request, count) => (count === 1 ? 'accept-and-hang' : 'accept');
    const res = await f.post('/sms/send', { to: '+14155554903', body: 'Queued at Twilio', location_id: f.locationA });
    const id: string = res.json.message_ids[0];
    await f.runJobs(); // times out after 2 s
    const [created] = fake.createsFor(id);
    Object.assign(created!, { status: 'queued', dateSent: null }); // still in Twilio's queue: no date_sent, not listed
    fake.dropHeld();
    await f.makeJobsDue();
    await f.runJobs();
    expect(await f.message(id)).toMatchObject({ status: 'sending' });
    expect(fake.createsFor(id)).toHaveLength(1);
    fake.setStatus(created!.sid, 'sent');
    await f.makeJobsDue();
    await f.runJobs();
    expect(fake.createsFor(id)).toHaveLength(1);
    expect(await f.message(id)).toMatchObject({ status: 'sent', providerMessageId: created!.sid });
  });

  it('a refusal that says Twilio took nothing (429) goes back to queued and is sent without a check', async () => {
    fake.answer = (_request, count) => (count === 1 ? { status: 429, code: 20429, message: 'Too Many Requests' } : 'accept');
    const res = await f.post('/sms/send', { to: '+14155554902', body: 'Slow down', location_id: f.locationA });
    const id: string = res.json.message_ids[0];
    await f.runJobs();
    expect(await f.message(id)).toMatchObject({ status: 'queued' });
    await f.makeJobsDue();
    await f.runJobs();
    expect(await f.message(id)).toMatchObject({ status: 'sent' });
    expect(fake.received.filter((r) => r.method === 'GET')).toHaveLength(0);
  });

  it('fails as SEND_UNCONFIRMED, without sending, when Twilio still cannot be asked at the last attempt', async () => {
    const m = await interruptedMessage(f, sms, n++, { reached: false });
    fake.intercept = (req) => (req.method === 'GET' ? 'reset' : null);
    await f.runJobs({ ...f.deps, sending: { maxAttempts: 1 } });
    const message = await f.message(m.id);
    expect(message).toMatchObject({ status: 'failed', errorCode: 'SEND_UNCONFIRMED' });
    expect(message.errorMessage).toMatch(/^Could not ask twilio whether the interrupted attempt was sent \(ECONNRESET: .*\); not sent again, and it may have been sent\.$/);
    expect(fake.createsFor(m.id)).toHaveLength(0);
  });
});

describe('an SMS interrupted mid-send in the sandbox: the sandbox answers the same check, from the database', () => {
  let f: SendingFixture;
  let n = 0;
  const kept = async (to: string) => (await f.deps.pool.query(`SELECT sid FROM sandbox_sms WHERE to_address = $1`, [to])).rows.map((r) => r.sid as string);

  beforeAll(async () => {
    f = await startSendingFixture();
  });
  afterAll(() => f.close());

  it('adopts what the sandbox accepted before the crash, and reports it delivered', async () => {
    const m = await interruptedMessage(f, f.deps.channels.sms, n++, { reached: true });
    const [sid] = await kept(m.to);
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    await f.runJobs();
    await f.runJobs(); // the sandbox's delivery report (OMEGA_SANDBOX_REPORT_DELAY_MS is 0 in tests)
    expect(await kept(m.to)).toEqual([sid]);
    expect(await f.message(m.id)).toMatchObject({ status: 'delivered', provider: 'sandbox', providerMessageId: sid });
  });

  it('sends when the sandbox had not accepted it', async () => {
    const m = await interruptedMessage(f, f.deps.channels.sms, n++, { reached: false });
    await f.runJobs();
    const sids = await kept(m.to);
    expect(sids).toHaveLength(1);
    expect(await f.message(m.id)).toMatchObject({ providerMessageId: sids[0] });
  });
});
