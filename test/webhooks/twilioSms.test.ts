import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SID, POOL_SID, PUBLIC_URL, SALON_POOL_SID, startWebhookFixture, type WebhookFixture } from './fixture.js';
import { parseXml, verbs } from './xml.js';

const sid = (prefix = 'SM') => `${prefix}${randomBytes(16).toString('hex')}`;

/** An inbound SMS webhook as Twilio sends it (parameters from Twilio's messaging webhook documentation). */
function incoming(over: Record<string, string> = {}): Record<string, string> {
  const messageSid = over['MessageSid'] ?? sid();
  return {
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: messageSid,
    NumMedia: '0',
    ToCity: 'SAN FRANCISCO',
    FromZip: '94105',
    SmsSid: messageSid,
    FromState: 'CA',
    SmsStatus: 'received',
    FromCity: 'SAN FRANCISCO',
    Body: 'Hi! Can I move my massage to 4pm?',
    FromCountry: 'US',
    To: '+15005550006',
    ToZip: '94105',
    NumSegments: '1',
    ReferralNumMedia: '0',
    MessageSid: messageSid,
    AccountSid: ACCOUNT_SID,
    From: '+14155550101',
    ApiVersion: '2010-04-01',
    ...over,
  };
}

function expectEmptyTwiml(res: { status: number; type: string | undefined; body: string }) {
  expect(res.status).toBe(200);
  expect(res.type).toMatch(/^text\/xml/);
  const root = parseXml(res.body);
  expect(root.name).toBe('Response');
  expect(verbs(root)).toEqual([]);
}

describe('POST /twilio/sms/incoming', () => {
  let f: WebhookFixture;
  beforeAll(async () => {
    f = await startWebhookFixture();
  });
  afterAll(() => f.close());

  const messageBySid = (messageSid: string) => f.deps.prisma.message.findUnique({ where: { provider_providerMessageId: { provider: 'twilio', providerMessageId: messageSid } } });
  const inboxEvents = async (conversationId: string) => (await f.deps.pool.query(`SELECT type, message_id, payload FROM inbox_events WHERE conversation_id = $1 ORDER BY id`, [conversationId])).rows;

  it("stores an SMS from an unknown number: new client, conversation at the number's location, message, inbox event; answers empty TwiML", async () => {
    const params = incoming({ From: '+14155550101' });
    const res = await f.twilio('/twilio/sms/incoming', params);
    expectEmptyTwiml(res);
    const message = await messageBySid(params['MessageSid']!);
    expect(message).toMatchObject({
      businessId: 'spa',
      locationId: f.loc.downtown,
      channel: 'sms',
      direction: 'inbound',
      status: 'received',
      body: 'Hi! Can I move my massage to 4pm?',
      fromAddress: '+14155550101',
      toAddress: '+15005550006',
      media: [],
      seenAt: null,
    });
    expect(message!.metadata).toMatchObject({ routedBy: 'number', NumSegments: '1', FromCity: 'SAN FRANCISCO' });
    const client = await f.deps.prisma.client.findUniqueOrThrow({ where: { id: message!.clientId } });
    expect(client).toMatchObject({ businessId: 'spa', phones: ['+14155550101'], homeLocationId: f.loc.downtown, smsOptOut: false, firstName: null });
    const conversation = await f.deps.prisma.conversation.findUniqueOrThrow({ where: { id: message!.conversationId } });
    expect(conversation).toMatchObject({
      locationId: f.loc.downtown,
      clientId: client.id,
      status: 'open',
      unreadCount: 1,
      lastMessagePreview: 'Hi! Can I move my massage to 4pm?',
      lastMessageDirection: 'inbound',
    });
    expect(await inboxEvents(conversation.id)).toEqual([
      { type: 'message.created', message_id: message!.id, payload: expect.objectContaining({ channel: 'sms', direction: 'inbound', status: 'received' }) },
    ]);
    const events = await f.deps.prisma.messageEvent.findMany({ where: { messageId: message!.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'received', provider: 'twilio', providerEventId: `${params['MessageSid']}:received` });
    expect((events[0]!.payload as any).params).toMatchObject({ MessageSid: params['MessageSid'], From: '+14155550101', AccountSid: ACCOUNT_SID });
  });

  it('stores nothing new when Twilio delivers the same MessageSid again', async () => {
    const params = incoming({ From: '+14155550102' });
    expectEmptyTwiml(await f.twilio('/twilio/sms/incoming', params));
    const before = { messages: await f.count('messages'), clients: await f.count('clients'), inbox: await f.count('inbox_events'), events: await f.count('message_events') };
    expectEmptyTwiml(await f.twilio('/twilio/sms/incoming', params));
    await Promise.all([f.twilio('/twilio/sms/incoming', params), f.twilio('/twilio/sms/incoming', params)]);
    expect({ messages: await f.count('messages'), clients: await f.count('clients'), inbox: await f.count('inbox_events'), events: await f.count('message_events') }).toEqual(before);
    const conversation = await f.deps.prisma.conversation.findFirstOrThrow({ where: { client: { phones: { has: '+14155550102' } } } });
    expect(conversation.unreadCount).toBe(1);
  });

  it('keeps MMS media (MediaUrlN with MediaContentTypeN) in order', async () => {
    const params = incoming({
      From: '+14155550103',
      Body: '',
      NumMedia: '2',
      MessageSid: sid('MM'),
      MediaUrl0: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM1/Media/ME1`,
      MediaContentType0: 'image/jpeg',
      MediaUrl1: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM1/Media/ME2`,
      MediaContentType1: 'video/mp4',
    });
    expectEmptyTwiml(await f.twilio('/twilio/sms/incoming', params));
    const message = await messageBySid(params['MessageSid']!);
    expect(message!.media).toEqual([
      { url: params['MediaUrl0'], contentType: 'image/jpeg' },
      { url: params['MediaUrl1'], contentType: 'video/mp4' },
    ]);
    expect(message!.body).toBe('');
  });

  it('routes a pooled number by its MessagingServiceSid', async () => {
    const params = incoming({ From: '+14155550104', To: '+18885550199', MessagingServiceSid: POOL_SID });
    expectEmptyTwiml(await f.twilio('/twilio/sms/incoming', params));
    const message = await messageBySid(params['MessageSid']!);
    expect(message).toMatchObject({ businessId: 'spa', locationId: f.loc.uptown, toAddress: '+18885550199' });
    expect(message!.metadata).toMatchObject({ routedBy: 'messaging_service' });
  });

  it("with one messaging service shared by two locations, follows the sender's latest conversation, else the oldest location", async () => {
    // A known salon client who talks with Salon B.
    const client = await f.deps.prisma.client.create({ data: { businessId: 'salon', phones: ['+14155550105'] } });
    await f.deps.prisma.conversation.create({ data: { businessId: 'salon', clientId: client.id, locationId: f.loc.salonB, lastActivityAt: new Date() } });
    const known = incoming({ From: '+14155550105', To: '+18885550177', MessagingServiceSid: SALON_POOL_SID });
    expectEmptyTwiml(await f.twilio('/twilio/sms/incoming', known));
    expect(await messageBySid(known['MessageSid']!)).toMatchObject({ businessId: 'salon', locationId: f.loc.salonB, clientId: client.id });

    const stranger = incoming({ From: '+14155550106', To: '+18885550177', MessagingServiceSid: SALON_POOL_SID });
    expectEmptyTwiml(await f.twilio('/twilio/sms/incoming', stranger));
    expect(await messageBySid(stranger['MessageSid']!)).toMatchObject({ businessId: 'salon', locationId: f.loc.salonA });
  });

  it('answers empty TwiML and stores nothing for a number and service no location has', async () => {
    const before = { messages: await f.count('messages'), clients: await f.count('clients'), conversations: await f.count('conversations') };
    expectEmptyTwiml(await f.twilio('/twilio/sms/incoming', incoming({ From: '+14155550107', To: '+18885550100', MessagingServiceSid: `MG${'00'.repeat(16)}` })));
    expectEmptyTwiml(await f.twilio('/twilio/sms/incoming', incoming({ From: '+14155550107', To: '+18885550100' })));
    expect({ messages: await f.count('messages'), clients: await f.count('clients'), conversations: await f.count('conversations') }).toEqual(before);
  });

  it('reopens an archived or snoozed conversation and makes it unread', async () => {
    const first = incoming({ From: '+14155550108' });
    await f.twilio('/twilio/sms/incoming', first);
    const { conversationId } = (await messageBySid(first['MessageSid']!))!;
    await f.deps.prisma.conversation.update({ where: { id: conversationId }, data: { status: 'archived', unreadCount: 0 } });
    await f.twilio('/twilio/sms/incoming', incoming({ From: '+14155550108', Body: 'Hello again' }));
    expect(await f.deps.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).toMatchObject({ status: 'open', unreadCount: 1, lastMessagePreview: 'Hello again' });
    await f.deps.prisma.conversation.update({ where: { id: conversationId }, data: { status: 'snoozed', snoozedUntil: new Date(Date.now() + 86_400_000) } });
    await f.twilio('/twilio/sms/incoming', incoming({ From: '+14155550108', Body: 'Are you there?' }));
    const reopened = await f.deps.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(reopened).toMatchObject({ status: 'open', snoozedUntil: null, unreadCount: 2 });
    const created = (await inboxEvents(conversationId)).filter((e) => e.type === 'message.created');
    expect(created.map((e) => e.payload.reopened)).toEqual([false, true, true]);
  });

  describe('signature', () => {
    it('refuses a request without X-Twilio-Signature with 403 and stores nothing, even with an invalid body', async () => {
      const before = await f.count('messages');
      const res = await f.twilio('/twilio/sms/incoming', incoming({ From: '+14155550120' }), { signature: null });
      expect(res.status).toBe(403);
      expect(res.json).toEqual({ code: 'TWILIO_SIGNATURE_MISSING', detail: expect.any(String) });
      const noBody = await f.twilio('/twilio/sms/incoming', { Body: 'no sid' }, { signature: null });
      expect(noBody.status).toBe(403);
      expect(await f.count('messages')).toBe(before);
    });

    it('refuses a tampered body, another URL, another token, an added field and a forged signature', async () => {
      const before = { messages: await f.count('messages'), clients: await f.count('clients') };
      const params = incoming({ From: '+14155550121' });
      const cases = [
        { name: 'tampered Body', send: { ...params, Body: 'STOP' }, opts: { signedParams: params } },
        { name: 'tampered From', send: { ...params, From: '+14155550999' }, opts: { signedParams: params } },
        { name: 'added field', send: { ...params, OptOutType: 'STOP' }, opts: { signedParams: params } },
        { name: 'http instead of https', send: params, opts: { signedUrl: `http://omega.test/twilio/sms/incoming` } },
        { name: 'another path', send: params, opts: { signedUrl: `${PUBLIC_URL}/twilio/sms/status` } },
        { name: 'another host', send: params, opts: { signedUrl: 'https://attacker.test/twilio/sms/incoming' } },
        { name: 'another auth token', send: params, opts: { token: 'not-the-auth-token' } },
        { name: 'forged', send: params, opts: { signature: 'aGVsbG8gd29ybGQgaGVsbG8gd29ybGQ=' } },
      ];
      for (const c of cases) {
        const res = await f.twilio('/twilio/sms/incoming', c.send, c.opts);
        expect(res.status, c.name).toBe(403);
        expect(res.json, c.name).toEqual({ code: 'TWILIO_SIGNATURE_INVALID', detail: expect.stringContaining('PUBLIC_BASE_URL') });
      }
      expect({ messages: await f.count('messages'), clients: await f.count('clients') }).toEqual(before);
    });

    it('accepts the URL Twilio signed with the default https port', async () => {
      const params = incoming({ From: '+14155550122' });
      expectEmptyTwiml(await f.twilio('/twilio/sms/incoming', params, { signedUrl: 'https://omega.test:443/twilio/sms/incoming' }));
      expect(await messageBySid(params['MessageSid']!)).not.toBeNull();
    });

    it("checks a signed request's body after the signature: 422 without MessageSid", async () => {
      const { MessageSid: _omit, ...params } = incoming({ From: '+14155550123' });
      const res = await f.twilio('/twilio/sms/incoming', params);
      expect(res.status).toBe(422);
      expect(res.json.detail[0]).toMatchObject({ type: 'missing', loc: ['body', 'MessageSid'] });
    });

    it('refuses every Twilio webhook with 403 TWILIO_WEBHOOK_NOT_CONFIGURED when TWILIO_AUTH_TOKEN is not set', async () => {
      const unconfigured = await startWebhookFixture({ twilio: false });
      try {
        for (const path of ['/twilio/sms/incoming', '/twilio/sms/status', '/twilio/voice/status', '/voice-calls/twiml']) {
          const res = await unconfigured.twilio(path, incoming());
          expect(res.status, path).toBe(403);
          expect(res.json.code, path).toBe('TWILIO_WEBHOOK_NOT_CONFIGURED');
        }
        expect(await unconfigured.count('messages')).toBe(0);
      } finally {
        await unconfigured.close();
      }
    });
  });
});
