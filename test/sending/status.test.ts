import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_STATUSES, canTransition } from '../../src/domain/sending/canTransition.js';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import { startFakeProviders, type FakeProviders } from '../helpers/msw.js';
import { createBusiness } from '../helpers/testApp.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';

describe('the delivery status machine', () => {
  it('only moves forward along queued → sending → sent → delivered → read, with final failures', () => {
    expect(canTransition('queued', 'sending')).toBe(true);
    expect(canTransition('queued', 'delivered')).toBe(true); // steps may be skipped
    expect(canTransition('sent', 'delivered')).toBe(true);
    expect(canTransition('delivered', 'read')).toBe(true); // delivered may still become read
    expect(canTransition('delivered', 'sent')).toBe(false); // late
    expect(canTransition('sent', 'sent')).toBe(false); // repeated
    expect(canTransition('sent', 'undelivered')).toBe(true);
    expect(canTransition('sending', 'failed')).toBe(true);
    expect(canTransition('delivered', 'failed')).toBe(false); // a late failure never undoes a delivery
    expect(canTransition('read', 'undelivered')).toBe(false);
    for (const terminal of ['failed', 'undelivered', 'canceled'] as const) {
      for (const to of ALL_STATUSES) expect(canTransition(terminal, to)).toBe(false);
    }
    for (const to of ALL_STATUSES) {
      expect(canTransition('received', to)).toBe(false);
      expect(canTransition('recorded', to)).toBe(false);
    }
  });
});

describe('POST /sms/status and /email/status', () => {
  let fake: FakeProviders;
  let f: SendingFixture;
  let n = 0;
  const sentSms = async () => {
    const res = await f.post('/sms/send', { to: `+1415555${String(2000 + n++)}`, body: 'Hi', location_id: f.locationA });
    await f.runJobs();
    return f.message(res.json.messages[0].message_id);
  };
  const sentEmail = async () => {
    const res = await f.post('/email/send', { to: `person${n++}@example.com`, subject: 'Hi', text: 'x' });
    await f.runJobs();
    return f.message(res.json.messages[0].message_id);
  };

  beforeAll(async () => {
    fake = startFakeProviders();
    f = await startSendingFixture({ channels: fake.channels() });
  });
  afterAll(async () => {
    await f.close();
    fake.close();
  });

  it('moves forward, keeps every report as an event, and publishes only real changes', async () => {
    const m = await sentSms();
    const report = (status: string, extra: object = {}) => f.post('/sms/status', { message_id: m.id, status, ...extra });

    let res = await report('delivered', { occurred_at: '2026-11-28T10:00:00Z' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ message_id: m.id, previous_status: 'sent', status: 'delivered', changed: true, duplicate: false });
    res = await report('sent'); // late
    expect(res.json).toMatchObject({ previous_status: 'delivered', status: 'delivered', changed: false });
    res = await report('delivered'); // repeated
    expect(res.json).toMatchObject({ status: 'delivered', changed: false });
    res = await report('failed', { error_code: '30003' }); // a late failure
    expect(res.json).toMatchObject({ status: 'delivered', changed: false });
    res = await report('read');
    expect(res.json).toMatchObject({ previous_status: 'delivered', status: 'read', changed: true });

    const message = await f.message(m.id);
    expect(message).toMatchObject({ status: 'read', errorCode: null });
    expect(message.deliveredAt?.toISOString()).toBe('2026-11-28T10:00:00.000Z');
    expect(message.readAt).not.toBeNull();
    const events = (await f.events(m.id)).filter((e) => e.type === 'status');
    expect(events.map((e) => [e.status, (e.payload as any).applied])).toEqual([
      ['delivered', true],
      ['sent', false],
      ['delivered', false],
      ['failed', false],
      ['read', true],
    ]);
    const changes = (await f.inboxEvents(m.id)).filter((e) => e.type === 'message.status_changed').map((e) => [e.payload.previousStatus, e.payload.status]);
    expect(changes).toEqual([
      ['sending', 'sent'],
      ['sent', 'delivered'],
      ['delivered', 'read'],
    ]);
  });

  it('ignores a report whose event_id was seen before: no change, no new event', async () => {
    const m = await sentSms();
    const body = { message_id: m.id, status: 'delivered', event_id: 'evt-1', provider: 'twilio' };
    expect((await f.post('/sms/status', body)).json).toMatchObject({ changed: true, duplicate: false });
    const before = (await f.events(m.id)).length;
    const again = await f.post('/sms/status', body);
    expect(again.json).toMatchObject({ changed: false, duplicate: true, status: 'delivered' });
    expect((await f.events(m.id)).length).toBe(before);
  });

  it('applies concurrent reports for one message once each, in any order, never backwards', async () => {
    const m = await sentSms();
    const words = ['delivered', 'sent', 'read', 'delivered', 'sending', 'read', 'queued', 'delivered'];
    const answers = await Promise.all(words.map((status) => f.post('/sms/status', { message_id: m.id, status })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect((await f.message(m.id)).status).toBe('read');
    expect((await f.events(m.id)).filter((e) => e.type === 'status')).toHaveLength(words.length);
    const changes = (await f.inboxEvents(m.id)).filter((e) => e.type === 'message.status_changed').map((e) => e.payload.status);
    expect(changes.at(-1)).toBe('read');
    expect(new Set(changes).size).toBe(changes.length); // never the same status twice
  });

  it('finds a message by the provider’s id, and a failure keeps its code', async () => {
    const m = await sentSms();
    const res = await f.post('/sms/status', { provider_message_id: m.providerMessageId, status: 'undelivered', error_code: '30003', error_message: 'Unreachable destination handset' });
    expect(res.json).toMatchObject({ message_id: m.id, status: 'undelivered', changed: true });
    expect(await f.message(m.id)).toMatchObject({ status: 'undelivered', errorCode: '30003', errorMessage: 'Unreachable destination handset' });
    const late = await f.post('/sms/status', { provider_message_id: m.providerMessageId, status: 'delivered' });
    expect(late.json).toMatchObject({ status: 'undelivered', changed: false });
  });

  it('opts the client out on a failed report with Twilio error 21610', async () => {
    const m = await sentSms();
    await f.post('/sms/status', { message_id: m.id, status: 'failed', error_code: '21610' });
    expect((await f.deps.prisma.client.findUniqueOrThrow({ where: { id: m.clientId } })).smsOptOut).toBe(true);
  });

  it('maps email events: opened is read, bounced suppresses the address, complained only suppresses', async () => {
    const a = await sentEmail();
    expect((await f.post('/email/status', { message_id: a.id, status: 'email.delivered' })).json.status).toBe('delivered');
    expect((await f.post('/email/status', { message_id: a.id, status: 'opened' })).json.status).toBe('read');

    const b = await sentEmail();
    const bounced = await f.post('/email/status', { provider_message_id: b.providerMessageId, status: 'bounced', error_message: 'mailbox does not exist' });
    expect(bounced.json).toMatchObject({ status: 'undelivered', changed: true });
    expect(await f.deps.prisma.client.findUniqueOrThrow({ where: { id: b.clientId } })).toMatchObject({ emailSuppressed: true, emailSuppressionReason: 'bounced' });

    const c = await sentEmail();
    const complained = await f.post('/email/status', { message_id: c.id, status: 'complained' });
    expect(complained.json).toMatchObject({ status: 'sent', changed: false });
    expect(await f.deps.prisma.client.findUniqueOrThrow({ where: { id: c.clientId } })).toMatchObject({ emailSuppressed: true, emailSuppressionReason: 'complained' });
  });

  it('answers 404 for an unknown message, another channel’s message or another business’s, and 409 for an inbound one', async () => {
    const m = await sentSms();
    expect((await f.post('/sms/status', { message_id: '01900000-0000-7000-8000-000000000000', status: 'delivered' })).json.code).toBe('MESSAGE_NOT_FOUND');
    expect((await f.post('/email/status', { message_id: m.id, status: 'delivered' })).status).toBe(404);
    const other = await createBusiness(f.deps, 'other-spa');
    expect((await f.post('/sms/status', { message_id: m.id, status: 'delivered' }, other.apiKey)).status).toBe(404);
    expect((await f.post('/sms/status', { business_id: f.businessId, message_id: m.id, status: 'delivered' }, other.apiKey)).status).toBe(403);
    const service = (await createApiKey(f.deps, { name: 'svc' })).key;
    expect((await f.post('/sms/status', { message_id: m.id, status: 'delivered' }, service)).json).toMatchObject({ changed: true });

    const inbound = await f.post('/sms/record', { direction: 'inbound', from: '+14155550999', to: '+15005550006', body: 'Hello?' });
    const res = await f.post('/sms/status', { message_id: inbound.json.message_id, status: 'delivered' });
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('MESSAGE_NOT_OUTBOUND');
  });

  it('validates the report', async () => {
    expect((await f.post('/sms/status', { status: 'delivered' })).json.detail[0]).toMatchObject({ loc: ['body', 'message_id'] });
    expect((await f.post('/sms/status', { message_id: 'nope', status: 'delivered' })).status).toBe(422);
    const unknown = await f.post('/sms/status', { message_id: '01900000-0000-7000-8000-000000000000', status: 'teleported' });
    expect(unknown.status).toBe(422);
    expect(unknown.json.detail[0]).toMatchObject({ type: 'enum', loc: ['body', 'status'] });
  });
});
