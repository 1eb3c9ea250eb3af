import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SID, startWebhookFixture, type WebhookFixture } from './fixture.js';

const sid = () => `SM${randomBytes(16).toString('hex')}`;

function incoming(from: string, body: string, extra: Record<string, string> = {}): Record<string, string> {
  const messageSid = sid();
  return {
    ToCountry: 'US',
    SmsMessageSid: messageSid,
    NumMedia: '0',
    SmsSid: messageSid,
    SmsStatus: 'received',
    Body: body,
    FromCountry: 'US',
    To: '+15005550006',
    NumSegments: '1',
    MessageSid: messageSid,
    AccountSid: ACCOUNT_SID,
    From: from,
    ApiVersion: '2010-04-01',
    ...extra,
  };
}

describe('SMS consent keywords (STOP / START / HELP)', () => {
  let f: WebhookFixture;
  beforeAll(async () => {
    f = await startWebhookFixture();
  });
  afterAll(() => f.close());

  const client = (phone: string) => f.deps.prisma.client.findFirstOrThrow({ where: { businessId: 'spa', phones: { has: phone } } });
  const clientEvents = async (phone: string) => {
    const c = await client(phone);
    return (await f.deps.pool.query(`SELECT type, conversation_id, payload FROM inbox_events WHERE type = 'client.updated' AND payload->>'clientId' = $1 ORDER BY id`, [c.id])).rows;
  };
  const send = (to: string) => f.post('/sms/send', { to, body: 'Spring offer: 20% off facials this week', location_id: f.loc.downtown });

  it('STOP opts the client out (shown on the client and as an event in the conversation), and a later send is refused', async () => {
    const phone = '+14155550201';
    expect((await send(phone)).status).toBe(202); // a client who may be messaged
    const stop = incoming(phone, 'STOP');
    expect((await f.twilio('/twilio/sms/incoming', stop)).status).toBe(200);

    const c = await client(phone);
    expect(c.smsOptOut).toBe(true);
    expect(c.smsOptOutAt).toBeInstanceOf(Date);
    const message = await f.deps.prisma.message.findUniqueOrThrow({ where: { provider_providerMessageId: { provider: 'twilio', providerMessageId: stop['MessageSid']! } } });
    expect(message.metadata).toMatchObject({ keyword: 'STOP' });
    const events = (await f.deps.pool.query(`SELECT type, message_id FROM inbox_events WHERE conversation_id = $1 ORDER BY id`, [message.conversationId])).rows;
    expect(events.slice(-2)).toEqual([
      { type: 'message.created', message_id: message.id },
      { type: 'client.updated', message_id: message.id },
    ]);
    expect(await clientEvents(phone)).toEqual([
      { type: 'client.updated', conversation_id: message.conversationId, payload: { clientId: c.id, consent: 'sms_opt_out', smsOptOut: true, keyword: 'STOP', reason: 'stop' } },
    ]);
    const profile = await f.get(`/business-clients/spa/clients/${c.id}`);
    expect(profile.status).toBe(200);
    expect(profile.json).toMatchObject({ sms_opt_out: true });

    const refused = await send(phone);
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('CLIENT_OPTED_OUT');
    expect((await send('+14155550299')).status).toBe(202); // others still can be messaged
  });

  it('START opts back in; then sends go through again', async () => {
    const phone = '+14155550202';
    await f.twilio('/twilio/sms/incoming', incoming(phone, 'unsubscribe'));
    expect((await client(phone)).smsOptOut).toBe(true);
    expect((await send(phone)).status).toBe(409);
    await f.twilio('/twilio/sms/incoming', incoming(phone, ' Start '));
    const c = await client(phone);
    expect(c).toMatchObject({ smsOptOut: false, smsOptOutAt: null });
    expect((await clientEvents(phone)).map((e) => [e.payload.smsOptOut, e.payload.keyword])).toEqual([
      [true, 'STOP'],
      [false, 'START'],
    ]);
    expect((await send(phone)).status).toBe(202);
  });

  it('recognises every opt-out and opt-in keyword, in any case, with punctuation, and nothing inside a sentence', async () => {
    let n = 10;
    for (const word of ['STOP', 'stopall', 'Unsubscribe', 'cancel', 'END', 'quit!', 'stop.']) {
      const phone = `+141555503${n++}`;
      await f.twilio('/twilio/sms/incoming', incoming(phone, word));
      expect((await client(phone)).smsOptOut, word).toBe(true);
      for (const back of ['start', 'UNSTOP', 'yes']) {
        await f.twilio('/twilio/sms/incoming', incoming(phone, back));
        expect((await client(phone)).smsOptOut, `${word} then ${back}`).toBe(false);
        await f.twilio('/twilio/sms/incoming', incoming(phone, word));
      }
    }
    const phone = '+14155550399';
    await f.twilio('/twilio/sms/incoming', incoming(phone, 'Please stop sending me promos'));
    await f.twilio('/twilio/sms/incoming', incoming(phone, 'I will end up late, sorry'));
    expect((await client(phone)).smsOptOut).toBe(false);
    expect(await clientEvents(phone)).toEqual([]);
  });

  it("honours OptOutType from Advanced Opt-Out (another language's keyword)", async () => {
    const phone = '+14155550203';
    await f.twilio('/twilio/sms/incoming', incoming(phone, 'ARRET', { OptOutType: 'STOP' }));
    expect((await client(phone)).smsOptOut).toBe(true);
    await f.twilio('/twilio/sms/incoming', incoming(phone, 'OUI', { OptOutType: 'START' }));
    expect((await client(phone)).smsOptOut).toBe(false);
  });

  it('records HELP on the message without changing consent', async () => {
    const phone = '+14155550204';
    const help = incoming(phone, 'help');
    await f.twilio('/twilio/sms/incoming', help);
    const message = await f.deps.prisma.message.findUniqueOrThrow({ where: { provider_providerMessageId: { provider: 'twilio', providerMessageId: help['MessageSid']! } } });
    expect(message.metadata).toMatchObject({ keyword: 'HELP' });
    const [event] = await f.deps.prisma.messageEvent.findMany({ where: { messageId: message.id } });
    expect(event!.payload).toMatchObject({ keyword: 'help' });
    expect((await client(phone)).smsOptOut).toBe(false);
    expect(await clientEvents(phone)).toEqual([]);
  });

  it('a repeated STOP (same MessageSid, or a new STOP while opted out) publishes the change once', async () => {
    const phone = '+14155550205';
    const stop = incoming(phone, 'STOP');
    await f.twilio('/twilio/sms/incoming', stop);
    await f.twilio('/twilio/sms/incoming', stop);
    await f.twilio('/twilio/sms/incoming', incoming(phone, 'STOP'));
    expect(await clientEvents(phone)).toHaveLength(1);
    expect(await f.deps.prisma.message.count({ where: { client: { phones: { has: phone } } } })).toBe(2);
  });
});
