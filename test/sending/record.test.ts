import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '../../src/createDeps.js';
import { createPool } from '../../src/db/pool.js';
import { recordSms } from '../../src/domain/sending/recordSms.js';
import { parseEmailAddress } from '../../src/domain/contacts/parseEmailAddress.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';

describe('POST /sms/record and /email/record: store without sending', () => {
  let f: SendingFixture;
  beforeAll(async () => {
    f = await startSendingFixture();
  });
  afterAll(() => f.close());

  it('records an inbound SMS (201) at the location whose number received it, unread, and sends nothing', async () => {
    const res = await f.post('/sms/record', {
      direction: 'inbound',
      from: '415.555.0401',
      to: '+1 500 555 0006',
      body: 'Can I book for Saturday?',
      provider: 'twilio',
      provider_message_id: 'SMin0001',
      occurred_at: '2026-11-28T09:00:00Z',
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ status: 'received', created: true });
    const m = await f.message(res.json.message_id);
    expect(m).toMatchObject({ direction: 'inbound', fromAddress: '+14155550401', toAddress: '+15005550006', locationId: f.locationA, seenAt: null });
    expect(m.createdAt.toISOString()).toBe('2026-11-28T09:00:00.000Z');
    const conversation = await f.deps.prisma.conversation.findUniqueOrThrow({ where: { id: res.json.conversation_id } });
    expect(conversation.unreadCount).toBe(1);
    expect(await f.jobs()).toHaveLength(0);
    expect((await f.events(m.id)).map((e) => e.type)).toEqual(['recorded']);
  });

  it('records an outbound message sent elsewhere with its delivery timestamps', async () => {
    const res = await f.post('/sms/record', { to: '+14155550402', body: 'Sent from the front desk phone', status: 'delivered', occurred_at: '2026-11-28T08:00:00Z', location_id: f.locationB });
    expect(res.status).toBe(201);
    const m = await f.message(res.json.message_id);
    expect(m).toMatchObject({ direction: 'outbound', status: 'delivered', provider: null, locationId: f.locationB });
    expect(m.sentAt?.toISOString()).toBe('2026-11-28T08:00:00.000Z');
    expect(m.deliveredAt?.toISOString()).toBe('2026-11-28T08:00:00.000Z');
    const email = await f.post('/email/record', { to: 'ava@example.com', from: 'Uptown@Spa.test', subject: 'Receipt', html: '<p>Thanks</p>' });
    expect(email.status).toBe(201);
    expect(await f.message(email.json.message_id)).toMatchObject({ channel: 'email', status: 'sent', locationId: f.locationB, fromAddress: 'uptown@spa.test', subject: 'Receipt' });
  });

  it('records the same provider message once, also under concurrent calls from two processes', async () => {
    const body = { direction: 'inbound', from: '+14155550403', body: 'Once', provider: 'twilio', provider_message_id: 'SMdup0001' };
    const first = await f.post('/sms/record', body);
    const again = await f.post('/sms/record', body);
    expect(again.status).toBe(201);
    expect(again.json).toEqual({ ...first.json, created: false });

    // A second app instance on the same database (another process in production).
    const pool = createPool(f.db.url, 5, () => undefined);
    const other = await createDeps({ url: f.db.url, pool }, { warn: () => undefined });
    try {
      const input = { principal: null, businessId: f.businessId, direction: 'inbound' as const, from: '+14155550404', body: 'Race', provider: 'twilio', providerMessageId: 'SMrace0001' };
      const results = await Promise.all([...Array(5)].flatMap(() => [recordSms(f.deps, input), recordSms(other, input)]));
      expect(new Set(results.map((r) => r.messageId)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    } finally {
      await other.close();
      await pool.end();
    }
  });

  it('refuses a provider message id that belongs to another business', async () => {
    await f.deps.prisma.business.create({ data: { id: 'elsewhere', name: 'Elsewhere' } });
    await f.deps.prisma.location.create({ data: { businessId: 'elsewhere', name: 'E' } });
    await recordSms(f.deps, { principal: null, businessId: 'elsewhere', direction: 'inbound', from: '+14155550405', body: 'x', provider: 'twilio', providerMessageId: 'SMtaken' });
    const res = await f.post('/sms/record', { direction: 'inbound', from: '+14155550405', body: 'x', provider: 'twilio', provider_message_id: 'SMtaken' });
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('PROVIDER_MESSAGE_ID_TAKEN');
  });

  it('reads email addresses with a display name as the email webhooks do, and names a new client from it', async () => {
    const res = await f.post('/email/record', {
      direction: 'inbound',
      from: 'Rosa Mitchell <rosa.mitchell@example.com>',
      to: '"Downtown Spa" <Downtown@spa.test>',
      subject: 'Gift card',
      text: 'Do you sell them?',
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const m = await f.message(res.json.message_id);
    expect(m).toMatchObject({ channel: 'email', direction: 'inbound', fromAddress: 'rosa.mitchell@example.com', toAddress: 'downtown@spa.test', locationId: f.locationA });
    expect(await f.deps.prisma.client.findUniqueOrThrow({ where: { id: res.json.client_id } })).toMatchObject({ firstName: 'Rosa', lastName: 'Mitchell', emails: ['rosa.mitchell@example.com'] });
    // Names given in the body win over the display name.
    const named = await f.post('/email/record', { to: '"Doe, Jane" <jane.doe@example.com>', subject: 'Hi', text: 'x', first_name: 'Janet' });
    expect(await f.deps.prisma.client.findUniqueOrThrow({ where: { id: named.json.client_id } })).toMatchObject({ firstName: 'Janet', lastName: null });

    // One rule: whatever parseEmailAddress (the Resend webhook's reading) accepts is recorded as that
    // address, and whatever it refuses is one 422 on the field, with no second, misleading issue.
    const forms = [
      'Ana Lima <ana.lima@example.com>',
      '"Lima, Ana" <ana.lima@example.com>',
      ' <ana.lima@example.com> ',
      'ANA.LIMA@example.com',
      'Ana Lima <ana.lima@example>',
      'Ana Lima',
      'Ana <ana@example.com> <x@example.com>',
    ];
    for (const from of forms) {
      const parsed = parseEmailAddress(from);
      const r = await f.post('/email/record', { direction: 'inbound', from, subject: 'Form', text: from });
      if (parsed) {
        expect(r.status, from).toBe(201);
        expect((await f.message(r.json.message_id)).fromAddress, from).toBe(parsed.email);
      } else {
        expect(r.status, from).toBe(422);
        expect(r.json.detail, from).toEqual([expect.objectContaining({ loc: ['body', 'from'], msg: expect.stringContaining('Not an email address'), input: from })]);
      }
    }
    expect(forms.filter((form) => parseEmailAddress(form)).length).toBe(4);
  });

  it('validates direction, status, addresses and content', async () => {
    const cases: [unknown, (string | number)[]][] = [
      [{ direction: 'inbound', from: '+14155550406', body: 'x', status: 'delivered' }, ['body', 'status']],
      [{ direction: 'outbound', to: '+14155550406', body: 'x', status: 'received' }, ['body', 'status']],
      [{ direction: 'inbound', from: 'not a phone', body: 'x' }, ['body', 'from']],
      [{ direction: 'inbound', body: 'x' }, ['body', 'from']],
      [{ direction: 'inbound', from: '+14155550406' }, ['body', 'body']],
      [{ direction: 'sideways', from: '+14155550406', body: 'x' }, ['body', 'direction']],
      [{ to: '+14155550406', body: 'x', conversation_id: 'nope' }, ['body', 'conversation_id']],
    ];
    for (const [body, loc] of cases) {
      const res = await f.post('/sms/record', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(
        res.json.detail.map((d: { loc: unknown }) => d.loc),
        JSON.stringify(body),
      ).toEqual([loc]);
    }
  });
});
