import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDeps } from '../../src/createDeps.js';
import { createPool } from '../../src/db/pool.js';
import { queueSms } from '../../src/domain/sending/queueSms.js';
import { startFakeProviders, type FakeProviders } from '../helpers/msw.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';

describe('POST /sms/send: queue in one transaction, send with the Twilio SDK', () => {
  let fake: FakeProviders;
  let f: SendingFixture;

  beforeAll(async () => {
    fake = startFakeProviders();
    f = await startSendingFixture({ channels: fake.channels() });
  });
  afterAll(async () => {
    await f.close();
    fake.close();
  });
  beforeEach(() => fake.reset());

  it('answers 202 with the message, stores it with its job, and the worker sends it through Twilio', async () => {
    const res = await f.post('/sms/send', { to: '(415) 555-0101', body: 'Your appointment is tomorrow at 3pm', location_id: f.locationA, first_name: 'Olivia' });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ request_id: null, status: 'queued', segments: { encoding: 'gsm7', count: 1, units: 35 } });
    const [queued] = res.json.messages;
    expect(queued).toMatchObject({ to: '+14155550101', status: 'queued', created: true, scheduled_at: null });
    expect(res.json.message_ids).toEqual([queued.message_id]);

    const jobs = await f.jobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ task_identifier: 'send_sms', key: `send_sms:${queued.message_id}`, payload: { messageId: queued.message_id }, max_attempts: 25 });
    const client = await f.deps.prisma.client.findUniqueOrThrow({ where: { id: queued.client_id } });
    expect(client).toMatchObject({ phones: ['+14155550101'], firstName: 'Olivia' });
    const conversation = await f.deps.prisma.conversation.findUniqueOrThrow({ where: { id: queued.conversation_id } });
    expect(conversation).toMatchObject({ locationId: f.locationA, lastMessagePreview: 'Your appointment is tomorrow at 3pm', lastMessageDirection: 'outbound' });
    expect((await f.inboxEvents(queued.message_id)).map((e) => e.type)).toEqual(['message.created']);

    await f.runJobs();
    expect(fake.twilio).toHaveLength(1);
    expect(fake.twilio[0]).toMatchObject({
      to: '+14155550101',
      from: '+15005550006',
      body: 'Your appointment is tomorrow at 3pm',
      statusCallback: `https://omega.test/twilio/sms/status?message_id=${queued.message_id}&business_id=${f.businessId}`,
    });
    expect(fake.twilio[0]!.authorization).toMatch(/^Basic /);
    const message = await f.message(queued.message_id);
    expect(message).toMatchObject({ status: 'sent', provider: 'twilio', attempts: 1, errorCode: null });
    expect(message.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message.sentAt).not.toBeNull();
    expect((await f.events(queued.message_id)).map((e) => [e.type, e.status])).toEqual([
      ['attempt', 'sending'],
      ['sent', 'sent'],
    ]);
    expect((await f.inboxEvents(queued.message_id)).map((e) => [e.type, e.payload.status ?? null])).toEqual([
      ['message.created', 'queued'],
      ['message.status_changed', 'sent'],
    ]);
    expect(await f.jobs()).toHaveLength(0);
  });

  it('sends through the location messaging service when it has one', async () => {
    const res = await f.post('/sms/send', { to: '+33612345678', body: 'Bonjour', location_external_id: 'uptown' });
    expect(res.status).toBe(202);
    await f.runJobs();
    expect(fake.twilio[0]).toMatchObject({ to: '+33612345678', messagingServiceSid: `MG${'b2'.repeat(16)}`, from: null });
  });

  it('queues one message per recipient, counts UCS-2 segments, and sends each once', async () => {
    const body = 'Hello 👋 '.repeat(10); // emoji: UCS-2, 90 code units -> 2 segments
    const res = await f.post('/sms/send', {
      recipients: [{ to: '+14155550111' }, { to: '415-555-0112', first_name: 'Liam' }, { to: '+1 415 555 0111' }],
      body,
      location_id: f.locationA,
    });
    expect(res.status).toBe(202);
    expect(res.json.segments).toEqual({ encoding: 'ucs2', count: 2, units: 90 });
    expect(res.json.messages.map((m: any) => m.to)).toEqual(['+14155550111', '+14155550112']);
    await f.runJobs();
    expect(fake.twilio.map((r) => r.to).sort()).toEqual(['+14155550111', '+14155550112']);
  });

  it('sends to a known client by id, using its primary phone', async () => {
    const client = await f.deps.prisma.client.create({ data: { businessId: f.businessId, phones: ['+14155550120', '+14155550121'], firstName: 'Emma', homeLocationId: f.locationA } });
    const res = await f.post('/sms/send', { client_id: client.id, body: 'Hi Emma' });
    expect(res.status).toBe(202);
    expect(res.json.messages[0]).toMatchObject({ client_id: client.id, to: '+14155550120' });
    const external = await f.deps.prisma.client.create({ data: { businessId: f.businessId, externalId: 'crm-7', phones: ['+14155550122'] } });
    const byExternal = await f.post('/sms/send', { recipients: [{ client_external_id: 'crm-7' }], body: 'Hi' });
    expect(byExternal.json.messages[0]).toMatchObject({ client_id: external.id, to: '+14155550122' });
    await f.runJobs();
    expect(fake.twilio.map((r) => r.to)).toEqual(['+14155550120', '+14155550122']);
  });

  it('refuses an opted-out client with 409 CLIENT_OPTED_OUT and stores nothing, even beside valid recipients', async () => {
    await f.deps.prisma.client.create({ data: { businessId: f.businessId, phones: ['+14155550130'], smsOptOut: true } });
    const before = await f.deps.prisma.message.count();
    const res = await f.post('/sms/send', { recipients: [{ to: '+14155550131' }, { to: '+14155550130' }], body: 'Promo!' });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ code: 'CLIENT_OPTED_OUT' });
    expect(res.json.detail).toContain('+14155550130');
    expect(await f.deps.prisma.message.count()).toBe(before);
    expect(await f.jobs()).toHaveLength(0);
    expect(await f.deps.prisma.client.count({ where: { phones: { has: '+14155550131' } } })).toBe(0);
  });

  it('makes request_id idempotent per recipient: a replay returns the existing messages and sends nothing twice', async () => {
    const body = { request_id: 'campaign-42', recipients: [{ to: '+14155550140' }, { to: '+14155550141' }], body: 'See you soon' };
    const first = await f.post('/sms/send', body);
    expect(first.status).toBe(202);
    await f.runJobs();
    const replay = await f.post('/sms/send', { ...body, recipients: [...body.recipients, { to: '+14155550142' }] });
    expect(replay.status).toBe(202);
    expect(replay.json.request_id).toBe('campaign-42');
    expect(replay.json.messages.slice(0, 2)).toEqual(first.json.messages.map((m: any) => ({ ...m, status: 'sent', created: false })));
    expect(replay.json.messages[2]).toMatchObject({ to: '+14155550142', created: true, status: 'queued' });
    expect(replay.json.status).toBe('mixed');
    await f.runJobs();
    expect(fake.twilio.map((r) => r.to).sort()).toEqual(['+14155550140', '+14155550141', '+14155550142']);
    expect(await f.deps.prisma.message.count({ where: { requestId: 'campaign-42' } })).toBe(3);
  });

  it('makes concurrent duplicate requests with one request_id produce one message per recipient', async () => {
    const body = { request_id: 'race-1', recipients: [{ to: '+14155550150' }, { to: '+14155550151' }], body: 'Only once' };
    const answers = await Promise.all(Array.from({ length: 8 }, () => f.post('/sms/send', body)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
    const ids = new Set(answers.flatMap((a) => a.json.message_ids));
    expect(ids.size).toBe(2);
    expect(answers.filter((a) => a.json.messages.every((m: any) => m.created))).toHaveLength(1);
    expect(await f.deps.prisma.message.count({ where: { requestId: 'race-1' } })).toBe(2);
    expect((await f.jobs()).filter((j) => j.task_identifier === 'send_sms')).toHaveLength(2);
    await f.runJobs();
    expect(fake.twilio).toHaveLength(2);
  });

  it('keeps request_id idempotent across processes: two app instances racing make one message per recipient', async () => {
    const pool = createPool(f.db.url, 5, () => undefined);
    const other = await createDeps({ url: f.db.url, pool }, { warn: () => undefined }, undefined, { channels: fake.channels() });
    try {
      const input = { principal: null, businessId: f.businessId, recipients: [{ to: '+14155550170' }, { to: '+14155550171' }], body: 'Twice?', requestId: 'two-procs' };
      const results = await Promise.all([...Array(6)].flatMap(() => [queueSms(f.deps, input), queueSms(other, input)]));
      const ids = new Set(results.flatMap((r) => r.messages.map((m) => m.messageId)));
      expect(ids.size).toBe(2);
      expect(results.flatMap((r) => r.messages).filter((m) => m.created)).toHaveLength(2);
      expect(await f.deps.prisma.message.count({ where: { requestId: 'two-procs' } })).toBe(2);
      await f.runJobs();
      expect(fake.twilio).toHaveLength(2);
    } finally {
      await other.close();
      await pool.end();
    }
  });

  it('lets concurrent requests share a transaction without sharing a failure: a refused one fails alone', async () => {
    await f.deps.prisma.client.create({ data: { businessId: f.businessId, phones: ['+14155550180'], smsOptOut: true } });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => f.post('/sms/send', { to: i === 5 ? '+14155550180' : `+141555502${String(i).padStart(2, '0')}`, body: 'Batch' })));
    expect(answers.map((a) => a.status)).toEqual(answers.map((_a, i) => (i === 5 ? 409 : 202)));
    expect(await f.deps.prisma.message.count({ where: { body: 'Batch' } })).toBe(11);
    expect((await f.jobs()).filter((j) => j.task_identifier === 'send_sms')).toHaveLength(11);
    await f.runJobs();
    expect(fake.twilio).toHaveLength(11);
  });

  it('runs concurrent multi-recipient requests naming the same new clients in opposite orders without losing one', async () => {
    const phones = Array.from({ length: 6 }, (_, i) => `+14155550${300 + i}`);
    const requests = Array.from({ length: 10 }, (_, i) => ({ recipients: (i % 2 ? [...phones].reverse() : phones).map((to) => ({ to })), body: `Overlap ${i}` }));
    const answers = await Promise.all(requests.map((r) => f.post('/sms/send', r)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
    expect(await f.deps.prisma.message.count({ where: { body: { startsWith: 'Overlap ' } } })).toBe(60);
    expect(await f.deps.prisma.client.count({ where: { phones: { hasSome: phones } } })).toBe(6);
    await f.runJobs();
  });

  it('refuses a location without any SMS sender with 409 NO_SMS_SENDER', async () => {
    const bare = await f.deps.prisma.location.create({ data: { businessId: f.businessId, name: 'No number' } });
    const res = await f.post('/sms/send', { to: '+14155550160', body: 'x', location_id: bare.id });
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('NO_SMS_SENDER');
  });
});
