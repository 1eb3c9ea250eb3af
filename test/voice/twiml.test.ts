import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SID, PUBLIC_URL, TWIML_APP_SID, startWebhookFixture, type WebhookFixture } from '../webhooks/fixture.js';
import { parseXml, verbs, type XmlElement } from '../webhooks/xml.js';

const callSid = () => `CA${randomBytes(16).toString('hex')}`;
const identity = (staffId: string) => `staff_${staffId.replace(/-/g, '')}`;

/** The voice webhook for a call placed from the Voice SDK through our TwiML app (Twilio's parameters plus the browser's own). */
function browserCall(staffId: string, to: string, extra: Record<string, string> = {}) {
  return {
    AccountSid: ACCOUNT_SID,
    ApiVersion: '2010-04-01',
    ApplicationSid: TWIML_APP_SID,
    CallSid: callSid(),
    CallStatus: 'ringing',
    Called: '',
    Caller: `client:${identity(staffId)}`,
    Direction: 'inbound',
    From: `client:${identity(staffId)}`,
    To: to,
    ...extra,
  };
}

/** The voice webhook for a call to one of our numbers (Twilio's voice request parameters). */
function phoneCall(from: string, to: string) {
  return {
    AccountSid: ACCOUNT_SID,
    ApiVersion: '2010-04-01',
    CallSid: callSid(),
    CallStatus: 'ringing',
    Called: to,
    CalledCity: 'SAN FRANCISCO',
    CalledCountry: 'US',
    CalledState: 'CA',
    CalledZip: '94105',
    Caller: from,
    CallerCity: 'OAKLAND',
    CallerCountry: 'US',
    CallerState: 'CA',
    CallerZip: '94612',
    Direction: 'inbound',
    From: from,
    FromCity: 'OAKLAND',
    FromCountry: 'US',
    FromState: 'CA',
    FromZip: '94612',
    To: to,
    ToCity: 'SAN FRANCISCO',
    ToCountry: 'US',
    ToState: 'CA',
    ToZip: '94105',
  };
}

/** A call progress callback of a leg (parent or dialled child). */
function legStatus(sid: string, status: string, extra: Record<string, string> = {}) {
  return {
    AccountSid: ACCOUNT_SID,
    ApiVersion: '2010-04-01',
    CallSid: sid,
    CallStatus: status,
    CallbackSource: 'call-progress-events',
    SequenceNumber: '0',
    Timestamp: new Date().toUTCString(),
    ...extra,
  };
}

function twiml(res: { status: number; type: string | undefined; body: string }): XmlElement {
  expect(res.status).toBe(200);
  expect(res.type).toMatch(/^text\/xml/);
  const root = parseXml(res.body);
  expect(root.name).toBe('Response');
  return root;
}

const pathOf = (url: string) => url.slice(PUBLIC_URL.length);

describe('voice calls: TwiML and status callbacks', () => {
  let f: WebhookFixture;
  beforeAll(async () => {
    f = await startWebhookFixture();
  });
  afterAll(() => f.close());

  const call = (sid: string) => f.deps.prisma.voiceCall.findUniqueOrThrow({ where: { providerCallSid: sid } });

  it("refuses a CallSid that is not one (an SMS sid, empty: both reached the messages' unique index, a 500)", async () => {
    for (const sid of [`SM${randomBytes(16).toString('hex')}`, '', 'CA1']) {
      const res = await f.twilio('/voice-calls/twiml', { ...phoneCall('+14155550199', '+15005550006'), CallSid: sid });
      expect(res.status, sid).toBe(422);
      expect(JSON.parse(res.body).detail[0]).toMatchObject({ loc: ['body', 'CallSid'], type: 'string_pattern_mismatch' });
    }
    expect(await f.deps.prisma.voiceCall.count({ where: { fromNumber: '+14155550199' } })).toBe(0);
  });
  const messageOf = async (sid: string) => f.deps.prisma.message.findUniqueOrThrow({ where: { id: (await call(sid)).messageId! } });

  describe('a call from the browser to a client', () => {
    it("dials the number with the location's caller id and status callbacks, and records the call and its message", async () => {
      const params = browserCall(f.staff.anna, '(415) 555-0501');
      const root = twiml(await f.twilio('/voice-calls/twiml', params));
      const c = await call(params.CallSid);
      expect(verbs(root)).toEqual(['Dial']);
      const dial = root.children[0]!;
      expect(dial.attrs).toEqual({ callerId: '+15005550006', answerOnBridge: 'true', timeout: '30', action: `${PUBLIC_URL}/voice-calls/twiml?step=dial-ended&call_id=${c.id}`, method: 'POST' });
      expect(dial.children).toEqual([
        {
          name: 'Number',
          attrs: { statusCallback: `${PUBLIC_URL}/twilio/voice/status?call_id=${c.id}`, statusCallbackMethod: 'POST', statusCallbackEvent: 'initiated ringing answered completed' },
          children: [],
          text: '+14155550501',
        },
      ]);
      expect(c).toMatchObject({
        businessId: 'spa',
        direction: 'outbound',
        status: 'initiated',
        staffId: f.staff.anna,
        locationId: f.loc.downtown,
        fromNumber: '+15005550006',
        toNumber: '+14155550501',
      });
      const m = await messageOf(params.CallSid);
      expect(m).toMatchObject({
        channel: 'voice',
        direction: 'outbound',
        status: 'sending',
        body: 'Outgoing call',
        authorStaffId: f.staff.anna,
        conversationId: c.conversationId,
        clientId: c.clientId,
        provider: 'twilio',
        providerMessageId: params.CallSid,
      });
      expect(await f.deps.prisma.client.findUniqueOrThrow({ where: { id: c.clientId! } })).toMatchObject({ phones: ['+14155550501'] });
      const inbox = (await f.deps.pool.query(`SELECT type FROM inbox_events WHERE message_id = $1`, [m.id])).rows;
      expect(inbox).toEqual([{ type: 'message.created' }]);
    });

    it('follows the dialled leg: ringing, answered, completed with duration; repeats and late reports change nothing', async () => {
      const params = browserCall(f.staff.anna, '+14155550502');
      await f.twilio('/voice-calls/twiml', params);
      const c = await call(params.CallSid);
      const status = `/twilio/voice/status?call_id=${c.id}`;
      const child = callSid();
      const leg = (s: string, extra: Record<string, string> = {}) =>
        legStatus(child, s, { ParentCallSid: params.CallSid, Direction: 'outbound-dial', From: '+15005550006', To: '+14155550502', Called: '+14155550502', Caller: '+15005550006', ...extra });
      for (const s of ['initiated', 'ringing', 'in-progress']) twiml(await f.twilio(status, leg(s)));
      expect(await call(params.CallSid)).toMatchObject({ status: 'in_progress' });
      expect((await call(params.CallSid)).answeredAt).toBeInstanceOf(Date);
      expect(await messageOf(params.CallSid)).toMatchObject({ status: 'delivered', body: 'Outgoing call in progress' });
      twiml(await f.twilio(status, leg('completed', { CallDuration: '42' })));
      const done = await call(params.CallSid);
      expect(done).toMatchObject({ status: 'completed', durationSeconds: 42 });
      expect(done.endedAt).toBeInstanceOf(Date);
      const m = await messageOf(params.CallSid);
      expect(m).toMatchObject({ status: 'delivered', body: 'Outgoing call (0:42)' });
      expect(await f.deps.prisma.conversation.findUniqueOrThrow({ where: { id: c.conversationId! } })).toMatchObject({ lastMessagePreview: 'Outgoing call (0:42)' });

      const before = { events: await f.count('message_events'), inbox: await f.count('inbox_events') };
      await f.twilio(status, leg('completed', { CallDuration: '42' })); // repeated
      expect({ events: await f.count('message_events'), inbox: await f.count('inbox_events') }).toEqual(before);
      await f.twilio(status, leg('no-answer')); // late or wrong: an ended call never changes
      expect(await call(params.CallSid)).toMatchObject({ status: 'completed', durationSeconds: 42 });
      await f.twilio('/twilio/voice/status', legStatus(params.CallSid, 'completed', { CallDuration: '50' })); // the browser leg
      expect(await call(params.CallSid)).toMatchObject({ status: 'completed', durationSeconds: 42 });
      expect(await f.count('inbox_events')).toBe(before.inbox);

      const inbox = (await f.deps.pool.query(`SELECT payload FROM inbox_events WHERE message_id = $1 AND type = 'message.status_changed' ORDER BY id`, [m.id])).rows;
      expect(inbox.map((e) => e.payload.callStatus)).toEqual(['ringing', 'in_progress', 'completed']);
      const dialEnded = twiml(
        await f.twilio(pathOf(`${PUBLIC_URL}/voice-calls/twiml?step=dial-ended&call_id=${c.id}`), {
          ...params,
          CallStatus: 'in-progress',
          DialCallSid: child,
          DialCallStatus: 'completed',
          DialCallDuration: '42',
        }),
      );
      expect(verbs(dialEnded)).toEqual(['Hangup']);
    });

    it('ends as no_answer (message undelivered) when the client does not pick up, whatever order the reports come in', async () => {
      const params = browserCall(f.staff.ben, '+14155550503');
      await f.twilio('/voice-calls/twiml', params);
      const c = await call(params.CallSid);
      const child = callSid();
      // The <Dial> action arrives before the leg's own callbacks.
      const action = twiml(await f.twilio(`/voice-calls/twiml?step=dial-ended&call_id=${c.id}`, { ...params, DialCallSid: child, DialCallStatus: 'no-answer', DialCallDuration: '0' }));
      expect(verbs(action)).toEqual(['Hangup']);
      await f.twilio(`/twilio/voice/status?call_id=${c.id}`, legStatus(child, 'ringing', { ParentCallSid: params.CallSid }));
      await f.twilio(`/twilio/voice/status?call_id=${c.id}`, legStatus(child, 'no-answer', { ParentCallSid: params.CallSid }));
      expect(await call(params.CallSid)).toMatchObject({ status: 'no_answer', answeredAt: null });
      expect(await messageOf(params.CallSid)).toMatchObject({ status: 'undelivered', body: 'Outgoing call: no answer' });
    });

    it('calls a client named by id, from the location of their conversation, once per CallSid', async () => {
      const client = await f.deps.prisma.client.create({ data: { businessId: 'spa', firstName: 'Mia', phones: ['+14155550504'] } });
      await f.deps.prisma.conversation.create({ data: { businessId: 'spa', clientId: client.id, locationId: f.loc.quiet, lastActivityAt: new Date() } });
      const params = browserCall(f.staff.anna, client.id);
      const first = twiml(await f.twilio('/voice-calls/twiml', params));
      expect(first.children[0]!.attrs['callerId']).toBe('+15005550007');
      expect(first.children[0]!.children[0]!.text).toBe('+14155550504');
      const again = await f.twilio('/voice-calls/twiml', params);
      expect(again.body).toBe(await f.twilio('/voice-calls/twiml', params).then((r) => r.body));
      expect(await f.deps.prisma.voiceCall.count({ where: { providerCallSid: params.CallSid } })).toBe(1);
      const byParam = twiml(await f.twilio('/voice-calls/twiml', browserCall(f.staff.anna, '', { client_id: client.id })));
      expect(byParam.children[0]!.children[0]!.text).toBe('+14155550504');
    });

    it('refuses a caller that is not an active staff member, storing nothing', async () => {
      const before = await f.count('voice_calls');
      for (const params of [browserCall(f.staff.dan, '+14155550505'), { ...browserCall(f.staff.anna, '+14155550505'), From: 'client:someone', Caller: 'client:someone' }]) {
        const root = twiml(await f.twilio('/voice-calls/twiml', params));
        expect(verbs(root)).toEqual(['Say', 'Hangup']);
      }
      expect(await f.count('voice_calls')).toBe(before);
    });
  });

  describe("a call to a location's number", () => {
    it("rings the location's active staff in the browser and records an unread incoming call", async () => {
      const params = phoneCall('+14155550601', '+15005550006');
      const root = twiml(await f.twilio('/voice-calls/twiml', params));
      const c = await call(params.CallSid);
      expect(verbs(root)).toEqual(['Dial']);
      const dial = root.children[0]!;
      expect(dial.attrs).toEqual({ timeout: '20', action: `${PUBLIC_URL}/voice-calls/twiml?step=dial-ended&call_id=${c.id}`, method: 'POST' });
      expect(verbs(dial)).toEqual(['Client', 'Client']);
      for (const client of dial.children) {
        expect(client.attrs).toEqual({ statusCallback: `${PUBLIC_URL}/twilio/voice/status?call_id=${c.id}`, statusCallbackMethod: 'POST', statusCallbackEvent: 'ringing answered completed' });
        expect(verbs(client)).toEqual(['Identity']);
      }
      expect(dial.children.map((e) => e.children[0]!.text)).toEqual([identity(f.staff.anna), identity(f.staff.ben)]); // not Dan (inactive), not Cara (uptown)
      expect(c).toMatchObject({ direction: 'inbound', status: 'ringing', fromNumber: '+14155550601', toNumber: '+15005550006', locationId: f.loc.downtown, staffId: null });
      expect(await messageOf(params.CallSid)).toMatchObject({ channel: 'voice', direction: 'inbound', status: 'received', body: 'Incoming call' });
      expect(await f.deps.prisma.conversation.findUniqueOrThrow({ where: { id: c.conversationId! } })).toMatchObject({ unreadCount: 1, lastMessageChannel: 'voice' });
    });

    it("the staff member who answers takes the call; other staff legs and the caller's leg change nothing", async () => {
      const params = phoneCall('+14155550602', '+15005550006');
      await f.twilio('/voice-calls/twiml', params);
      const c = await call(params.CallSid);
      const status = `/twilio/voice/status?call_id=${c.id}`;
      const annaLeg = callSid();
      const benLeg = callSid();
      const staffLeg = (sid: string, staffId: string, s: string, extra: Record<string, string> = {}) =>
        legStatus(sid, s, { ParentCallSid: params.CallSid, Direction: 'outbound-dial', To: `client:${identity(staffId)}`, Called: `client:${identity(staffId)}`, From: '+14155550602', ...extra });
      await f.twilio('/twilio/voice/status', legStatus(params.CallSid, 'in-progress')); // our TwiML answered the caller: not a human
      expect((await call(params.CallSid)).status).toBe('ringing');
      await f.twilio(status, staffLeg(annaLeg, f.staff.anna, 'ringing'));
      await f.twilio(status, staffLeg(benLeg, f.staff.ben, 'ringing'));
      await f.twilio(status, staffLeg(benLeg, f.staff.ben, 'in-progress'));
      await f.twilio(status, staffLeg(annaLeg, f.staff.anna, 'canceled'));
      expect(await call(params.CallSid)).toMatchObject({ status: 'in_progress', staffId: f.staff.ben });
      await f.twilio(status, staffLeg(benLeg, f.staff.ben, 'completed', { CallDuration: '65' }));
      await f.twilio('/twilio/voice/status', legStatus(params.CallSid, 'completed', { CallDuration: '80' }));
      expect(await call(params.CallSid)).toMatchObject({ status: 'completed', staffId: f.staff.ben, durationSeconds: 65 });
      expect(await messageOf(params.CallSid)).toMatchObject({ status: 'received', body: 'Incoming call (1:05)' });
      expect(verbs(twiml(await f.twilio(`/voice-calls/twiml?step=dial-ended&call_id=${c.id}`, { ...params, CallStatus: 'in-progress', DialCallStatus: 'completed', DialCallDuration: '65' })))).toEqual(
        ['Hangup'],
      );
    });

    it('rings only the staff member the conversation is assigned to', async () => {
      const client = await f.deps.prisma.client.create({ data: { businessId: 'spa', phones: ['+14155550603'] } });
      await f.deps.prisma.conversation.create({ data: { businessId: 'spa', clientId: client.id, locationId: f.loc.downtown, assigneeId: f.staff.cara, status: 'archived' } });
      const params = phoneCall('+14155550603', '+15005550006');
      const dial = twiml(await f.twilio('/voice-calls/twiml', params)).children[0]!;
      expect(dial.children.map((e) => e.children[0]!.text)).toEqual([identity(f.staff.cara)]);
      const c = await call(params.CallSid);
      expect(c.clientId).toBe(client.id);
      expect(await f.deps.prisma.conversation.findUniqueOrThrow({ where: { id: c.conversationId! } })).toMatchObject({ status: 'open' }); // reopened
    });

    it('goes to voicemail when nobody answers, and keeps the recording on the call and its message', async () => {
      const params = phoneCall('+14155550604', '+15005550006');
      await f.twilio('/voice-calls/twiml', params);
      const c = await call(params.CallSid);
      const vm = twiml(await f.twilio(`/voice-calls/twiml?step=dial-ended&call_id=${c.id}`, { ...params, CallStatus: 'in-progress', DialCallStatus: 'no-answer', DialCallDuration: '0' }));
      expect(verbs(vm)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
      expect(vm.children[0]!.text).toContain('Downtown');
      expect(vm.children[1]!.attrs).toEqual({
        action: `${PUBLIC_URL}/voice-calls/twiml?step=voicemail&call_id=${c.id}`,
        method: 'POST',
        maxLength: '120',
        playBeep: 'true',
        timeout: '5',
        recordingStatusCallback: `${PUBLIC_URL}/twilio/voice/status?call_id=${c.id}`,
        recordingStatusCallbackMethod: 'POST',
        recordingStatusCallbackEvent: 'completed',
      });
      expect(await call(params.CallSid)).toMatchObject({ status: 'no_answer' });
      expect(await messageOf(params.CallSid)).toMatchObject({ body: 'Missed call' });

      const recordingSid = `RE${randomBytes(16).toString('hex')}`;
      const recordingUrl = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${recordingSid}`;
      const bye = twiml(
        await f.twilio(`/voice-calls/twiml?step=voicemail&call_id=${c.id}`, {
          ...params,
          CallStatus: 'in-progress',
          RecordingUrl: recordingUrl,
          RecordingSid: recordingSid,
          RecordingDuration: '17',
          Digits: 'hangup',
        }),
      );
      expect(verbs(bye)).toEqual(['Say', 'Hangup']);
      expect(await call(params.CallSid)).toMatchObject({ status: 'no_answer', recordingUrl, recordingSeconds: 17 });
      const m = await messageOf(params.CallSid);
      expect(m.body).toBe('Voicemail (0:17)');
      expect(await f.deps.prisma.conversation.findUniqueOrThrow({ where: { id: c.conversationId! } })).toMatchObject({ lastMessagePreview: 'Voicemail (0:17)' });
      const last = (await f.deps.pool.query(`SELECT payload FROM inbox_events WHERE message_id = $1 ORDER BY id DESC LIMIT 1`, [m.id])).rows[0];
      expect(last.payload).toMatchObject({ channel: 'voice', recordingUrl, callStatus: 'no_answer' });

      // Twilio's recording status callback for the same recording is a duplicate.
      const before = await f.count('message_events');
      twiml(
        await f.twilio(`/twilio/voice/status?call_id=${c.id}`, {
          AccountSid: ACCOUNT_SID,
          CallSid: params.CallSid,
          RecordingSid: recordingSid,
          RecordingUrl: recordingUrl,
          RecordingStatus: 'completed',
          RecordingDuration: '17',
          RecordingChannels: '1',
          RecordingSource: 'RecordVerb',
          RecordingStartTime: new Date().toUTCString(),
        }),
      );
      expect(await f.count('message_events')).toBe(before);
      // The caller hangs up afterwards: still a missed call with its voicemail.
      await f.twilio('/twilio/voice/status', legStatus(params.CallSid, 'completed', { CallDuration: '40' }));
      expect(await call(params.CallSid)).toMatchObject({ status: 'no_answer', recordingUrl });
    });

    it('goes straight to voicemail when nobody works at the location', async () => {
      await f.deps.prisma.staff.updateMany({ where: { businessId: 'spa', locationIds: { isEmpty: true } }, data: { active: false } });
      const params = phoneCall('+14155550605', '+15005550007');
      const root = twiml(await f.twilio('/voice-calls/twiml', params));
      expect(verbs(root)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
      expect(await call(params.CallSid)).toMatchObject({ status: 'no_answer', locationId: f.loc.quiet });
    });

    it('a caller who hangs up before anyone answers is a missed call', async () => {
      const params = phoneCall('+14155550606', '+15005550006');
      await f.twilio('/voice-calls/twiml', params);
      await f.twilio('/twilio/voice/status', legStatus(params.CallSid, 'completed', { CallDuration: '6' }));
      expect(await call(params.CallSid)).toMatchObject({ status: 'no_answer', answeredAt: null });
      expect(await messageOf(params.CallSid)).toMatchObject({ body: 'Missed call' });
    });

    it('answers a call to a number no location has with a message, storing nothing', async () => {
      const before = { calls: await f.count('voice_calls'), clients: await f.count('clients') };
      const root = twiml(await f.twilio('/voice-calls/twiml', phoneCall('+14155550607', '+18885550100')));
      expect(verbs(root)).toEqual(['Say', 'Hangup']);
      expect({ calls: await f.count('voice_calls'), clients: await f.count('clients') }).toEqual(before);
    });
  });

  it('refuses unsigned or mis-signed TwiML requests and status callbacks with 403', async () => {
    const before = await f.count('voice_calls');
    const params = phoneCall('+14155550608', '+15005550006');
    expect((await f.twilio('/voice-calls/twiml', params, { signature: null })).status).toBe(403);
    expect((await f.twilio('/voice-calls/twiml', params, { signedUrl: `${PUBLIC_URL}/voice-calls/twiml?step=voicemail` })).status).toBe(403);
    expect((await f.twilio('/twilio/voice/status', legStatus(callSid(), 'completed'), { token: 'wrong' })).status).toBe(403);
    expect(await f.count('voice_calls')).toBe(before);
  });

  it('lists calls over GraphQL', async () => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'x-api-key': f.apiKey, 'content-type': 'application/json' },
      payload: { query: '{ voiceCalls(businessId: "spa", first: 50, filter: { withVoicemail: true }) { totalCount edges { node { direction status recordingUrl fromNumber } } } }' },
    });
    const body = res.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.voiceCalls.totalCount).toBe(1);
    expect(body.data.voiceCalls.edges[0].node).toMatchObject({ direction: 'inbound', status: 'no_answer', fromNumber: '+14155550604' });
  });
});
