import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SID, startWebhookFixture, type WebhookFixture } from './fixture.js';
import { runJobs } from '../helpers/jobs.js';
import { startFakeProviders, type FakeProviders } from '../helpers/msw.js';
import { parseXml } from './xml.js';

describe('POST /twilio/sms/status: delivery reports through the forward-only status machine', () => {
  let fake: FakeProviders;
  let f: WebhookFixture;
  beforeAll(async () => {
    fake = startFakeProviders();
    f = await startWebhookFixture({ channels: fake.channels() });
  });
  afterAll(async () => {
    await f.close();
    fake.close();
  });

  /** Sends an SMS for real (queue, worker, Twilio SDK under msw): Twilio's sid and the callback URL it was given. */
  async function sentSms(to: string) {
    const res = await f.post('/sms/send', { to, body: 'See you tomorrow at 10am', location_id: f.loc.downtown });
    expect(res.status).toBe(202);
    await runJobs(f.deps);
    const request = fake.twilio.find((r) => r.to === to)!;
    const messageId = res.json.messages[0].message_id as string;
    const message = await f.deps.prisma.message.findUniqueOrThrow({ where: { id: messageId } });
    expect(message).toMatchObject({ status: 'sent', provider: 'twilio', providerMessageId: request.sid });
    return { messageId, sid: request.sid, callbackPath: new URL(request.statusCallback!).pathname + new URL(request.statusCallback!).search };
  }

  /** A status callback as Twilio posts it (parameters from Twilio's status callback documentation). */
  const report = (sid: string, status: string, extra: Record<string, string> = {}) => ({
    SmsSid: sid,
    SmsStatus: status,
    MessageStatus: status,
    To: '+14155550301',
    MessageSid: sid,
    AccountSid: ACCOUNT_SID,
    From: '+15005550006',
    ApiVersion: '2010-04-01',
    ...extra,
  });
  const state = async (messageId: string) => ({
    message: await f.deps.prisma.message.findUniqueOrThrow({ where: { id: messageId } }),
    events: await f.deps.prisma.messageEvent.count({ where: { messageId } }),
    inbox: (await f.deps.pool.query(`SELECT type, payload FROM inbox_events WHERE message_id = $1 ORDER BY id`, [messageId])).rows,
  });

  it('applies delivered from the callback URL Twilio was given, with an event and an inbox event', async () => {
    const { messageId, sid, callbackPath } = await sentSms('+14155550301');
    expect(callbackPath).toBe(`/twilio/sms/status?message_id=${messageId}&business_id=spa`);
    const res = await f.twilio(callbackPath, report(sid, 'delivered'));
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/xml/);
    expect(parseXml(res.body)).toEqual({ name: 'Response', attrs: {}, children: [], text: '' });
    const s = await state(messageId);
    expect(s.message).toMatchObject({ status: 'delivered', errorCode: null });
    expect(s.message.deliveredAt).toBeInstanceOf(Date);
    const last = (await f.deps.prisma.messageEvent.findMany({ where: { messageId }, orderBy: { createdAt: 'asc' } })).at(-1)!;
    expect(last).toMatchObject({ type: 'status', status: 'delivered', provider: 'twilio', providerEventId: `${sid}:delivered` });
    expect(s.inbox.at(-1)).toMatchObject({ type: 'message.status_changed', payload: { status: 'delivered', previousStatus: 'sent', channel: 'sms' } });
  });

  it('reads the signed form fields whatever the query holds (a bodySHA256 parameter left them unread: 500)', async () => {
    const { messageId, sid, callbackPath } = await sentSms('+14155550311');
    const res = await f.twilio(`${callbackPath}&bodySHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`, report(sid, 'delivered'));
    expect(res.status).toBe(200);
    expect((await state(messageId)).message.status).toBe('delivered');
  });

  it('finds the message by its sid when the URL has no business (sent before it had) or names no message', async () => {
    const legacy = await sentSms('+14155550309');
    const res = await f.twilio(`/twilio/sms/status?message_id=${legacy.messageId}`, report(legacy.sid, 'delivered'));
    expect(res.status).toBe(200);
    expect((await state(legacy.messageId)).message.status).toBe('delivered');

    const stray = await sentSms('+14155550310');
    await f.twilio(`/twilio/sms/status?message_id=0193889f-cf03-7f62-a0a2-f944eec3e71d&business_id=spa`, report(stray.sid, 'delivered'));
    const s = await state(stray.messageId);
    expect(s.message.status).toBe('delivered');
    expect(s.inbox.at(-1)).toMatchObject({ type: 'message.status_changed', payload: { status: 'delivered' } });
  });

  it('a repeated callback records nothing, and out-of-order callbacks leave the status as it is', async () => {
    const { messageId, sid, callbackPath } = await sentSms('+14155550302');
    await f.twilio(callbackPath, report(sid, 'delivered'));
    const after = await state(messageId);
    await f.twilio(callbackPath, report(sid, 'delivered'));
    expect(await state(messageId)).toEqual(after);

    // Late arrivals: sending and sent after delivered; a failure after delivery.
    for (const late of ['sending', 'sent', 'undelivered']) {
      const res = await f.twilio(callbackPath, report(sid, late, late === 'undelivered' ? { ErrorCode: '30005' } : {}));
      expect(res.status).toBe(200);
    }
    const s = await state(messageId);
    expect(s.message).toMatchObject({ status: 'delivered', errorCode: null, deliveredAt: after.message.deliveredAt, failedAt: null });
    expect(s.inbox).toEqual(after.inbox);
    expect(s.events).toBe(after.events + 3); // kept as history, not applied
    const late = await f.deps.prisma.messageEvent.findMany({ where: { messageId, providerEventId: { in: [`${sid}:sent`, `${sid}:undelivered`] } } });
    expect(late.map((e) => (e.payload as any).applied)).toEqual([false, false]);
  });

  it("records a failure with Twilio's error code and text", async () => {
    const { messageId, sid, callbackPath } = await sentSms('+14155550303');
    await f.twilio(callbackPath, report(sid, 'failed', { ErrorCode: '30003' }));
    expect((await state(messageId)).message).toMatchObject({ status: 'failed', errorCode: '30003', errorMessage: 'Unreachable destination handset' });
  });

  it('error 21610 (the recipient replied STOP) opts the client out', async () => {
    const { messageId, sid, callbackPath } = await sentSms('+14155550304');
    await f.twilio(callbackPath, report(sid, 'undelivered', { ErrorCode: '21610' }));
    const message = (await state(messageId)).message;
    expect(message.status).toBe('undelivered');
    expect(await f.deps.prisma.client.findUniqueOrThrow({ where: { id: message.clientId } })).toMatchObject({ smsOptOut: true });
    expect((await f.post('/sms/send', { to: '+14155550304', body: 'again?', location_id: f.loc.downtown })).json.code).toBe('CLIENT_OPTED_OUT');
  });

  it('finds the message by MessageSid when the callback URL carries no message id', async () => {
    const { messageId, sid } = await sentSms('+14155550305');
    await f.twilio('/twilio/sms/status', report(sid, 'delivered'));
    expect((await state(messageId)).message.status).toBe('delivered');
  });

  it('answers 200 and stores nothing for a MessageSid Omega never sent', async () => {
    const before = await f.count('message_events');
    const res = await f.twilio('/twilio/sms/status', report('SM00000000000000000000000000000000', 'delivered'));
    expect(res.status).toBe(200);
    expect(await f.count('message_events')).toBe(before);
  });

  it('refuses a callback whose query string was changed after signing, and one without signature', async () => {
    const a = await sentSms('+14155550306');
    const b = await sentSms('+14155550307');
    const params = report(a.sid, 'failed', { ErrorCode: '30003' });
    const moved = await f.twilio(b.callbackPath, params, { signedUrl: `https://omega.test${a.callbackPath}` });
    expect(moved.status).toBe(403);
    expect(moved.json.code).toBe('TWILIO_SIGNATURE_INVALID');
    expect((await f.twilio(a.callbackPath, params, { signature: null })).status).toBe(403);
    expect((await state(a.messageId)).message.status).toBe('sent');
    expect((await state(b.messageId)).message.status).toBe('sent');
  });
});
