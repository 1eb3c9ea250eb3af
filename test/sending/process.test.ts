import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from '../helpers/msw.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';

describe('POST /messages/{business_id}/process: any channel, either direction, send or record', () => {
  let fake: FakeProviders;
  let f: SendingFixture;
  let url: string;

  beforeAll(async () => {
    fake = startFakeProviders();
    f = await startSendingFixture({ channels: fake.channels() });
    url = `/messages/${f.businessId}/process`;
  });
  afterAll(async () => {
    await f.close();
    fake.close();
  });
  beforeEach(() => fake.reset());

  it('sends an outbound SMS (202) through the same queue as /sms/send', async () => {
    const res = await f.post(url, { channel: 'sms', to: '+14155550501', body: 'Hi from process', request_id: 'proc-1' });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({
      mode: 'send',
      channel: 'sms',
      direction: 'outbound',
      request_id: 'proc-1',
      messages: [{ status: 'queued', created: true }],
      segments: { encoding: 'gsm7', count: 1 },
    });
    const replay = await f.post(url, { channel: 'sms', to: '+14155550501', body: 'Hi from process', request_id: 'proc-1' });
    expect(replay.json.messages[0]).toMatchObject({ message_id: res.json.message_ids[0], created: false });
    await f.runJobs();
    expect(fake.twilio.map((r) => r.body)).toEqual(['Hi from process']);
  });

  it('sends an email to the client of a conversation, at its location', async () => {
    const client = await f.deps.prisma.client.create({ data: { businessId: f.businessId, emails: ['conv@example.com'] } });
    const conversation = await f.deps.prisma.conversation.create({ data: { businessId: f.businessId, clientId: client.id, locationId: f.locationB } });
    const res = await f.post(url, { channel: 'email', conversation_id: conversation.id, subject: 'Follow-up', body: 'Plain text' });
    expect(res.status).toBe(202);
    expect(res.json.messages[0]).toMatchObject({ conversation_id: conversation.id, client_id: client.id });
    await f.runJobs();
    expect(fake.resend[0]).toMatchObject({ to: ['conv@example.com'], from: 'uptown@spa.test', text: 'Plain text', subject: 'Follow-up' });
  });

  it('honours an inbound STOP recorded here as the Twilio webhook would: opted out, a send refused, START opts back in', async () => {
    const phone = '+14155550577';
    const stop = await f.post(url, { channel: 'sms', direction: 'inbound', from: phone, to: '+15005550006', body: ' Stop. ', provider: 'twilio', provider_message_id: 'SMprocStop' });
    expect(stop.status).toBe(201);
    const clientId = stop.json.messages[0].client_id;
    expect(await f.deps.prisma.client.findUnique({ where: { id: clientId } })).toMatchObject({ smsOptOut: true });
    const events = await f.deps.prisma.inboxEvent.findMany({ where: { businessId: f.businessId, type: 'client.updated', messageId: stop.json.message_ids[0] } });
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ clientId, smsOptOut: true, keyword: 'STOP' })]);
    const refused = await f.post(url, { channel: 'sms', to: phone, body: 'Still there?' });
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('CLIENT_OPTED_OUT');
    const start = await f.post(url, { channel: 'sms', direction: 'inbound', from: phone, to: '+15005550006', body: 'START', provider: 'twilio', provider_message_id: 'SMprocStart' });
    expect(start.status).toBe(201);
    expect(await f.deps.prisma.client.findUnique({ where: { id: clientId } })).toMatchObject({ smsOptOut: false, smsOptOutAt: null });
    expect((await f.post(url, { channel: 'sms', to: phone, body: 'Welcome back' })).status).toBe(202);
    await f.runJobs();
    expect(fake.twilio.map((r) => r.body)).toEqual(['Welcome back']);
  });

  it('records an inbound SMS, an inbound email, a call and a note (201), sending nothing', async () => {
    const sms = await f.post(url, { channel: 'sms', direction: 'inbound', from: '+14155550502', to: '+15005550006', body: 'STOP? no, just hi', provider: 'twilio', provider_message_id: 'SMproc1' });
    expect(sms.status).toBe(201);
    expect(sms.json).toMatchObject({ mode: 'record', direction: 'inbound', messages: [{ status: 'received', created: true }], segments: null });
    const email = await f.post(url, { channel: 'email', direction: 'inbound', from: 'guest@example.com', subject: 'Question', body: 'Do you open Sunday?' });
    expect(email.status).toBe(201);
    const call = await f.post(url, { channel: 'voice', direction: 'inbound', from: '+14155550502', body: 'Missed call, 0:42 voicemail', provider: 'twilio', provider_message_id: 'CAproc1' });
    expect(call.status).toBe(201);
    expect(await f.message(call.json.message_ids[0])).toMatchObject({ channel: 'voice', direction: 'inbound', status: 'received', clientId: sms.json.messages[0].client_id });
    const staff = await f.deps.prisma.staff.create({ data: { businessId: f.businessId, firstName: 'Maya' } });
    const note = await f.post(url, { channel: 'note', conversation_id: sms.json.messages[0].conversation_id, body: 'Regular, likes mornings @maya', staff_id: staff.id });
    expect(note.status).toBe(201);
    expect(await f.message(note.json.message_ids[0])).toMatchObject({ channel: 'note', direction: 'internal', status: 'recorded', authorStaffId: staff.id, mentionStaffIds: [staff.id] });
    const noteByClient = await f.post(url, { channel: 'note', to: '+14155550502', body: 'Same client, found by phone' });
    expect(noteByClient.json.messages[0].conversation_id).toBe(sms.json.messages[0].conversation_id);
    await f.runJobs();
    expect(fake.twilio).toHaveLength(0);
    expect(fake.resend).toHaveLength(0);
  });

  it('records an outbound SMS sent elsewhere when asked to (mode record)', async () => {
    const res = await f.post(url, { channel: 'sms', mode: 'record', to: '+14155550503', body: 'Texted from my phone', status: 'delivered' });
    expect(res.status).toBe(201);
    expect(res.json.messages[0].status).toBe('delivered');
    expect(await f.jobs()).toHaveLength(0);
  });

  it('refuses combinations that cannot happen, with 422', async () => {
    const cases: [unknown, string][] = [
      [{ channel: 'voice', to: '+14155550504', body: 'x', mode: 'send' }, 'mode'],
      [{ channel: 'sms', direction: 'inbound', mode: 'send', from: '+14155550504', body: 'x' }, 'mode'],
      [{ channel: 'note', direction: 'outbound', body: 'x', to: '+14155550504' }, 'direction'],
      [{ channel: 'sms', direction: 'internal', body: 'x', to: '+14155550504' }, 'direction'],
      [{ channel: 'note', body: 'no conversation' }, 'conversation_id'],
      [{ channel: 'sms', body: 'no recipient' }, 'to'],
      [{ channel: 'fax', body: 'x' }, 'channel'],
      [{ body: 'x' }, 'channel'],
    ];
    for (const [body, field] of cases) {
      const res = await f.post(url, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.json.detail[0].loc, JSON.stringify(body)).toEqual(['body', field]);
    }
  });
});
