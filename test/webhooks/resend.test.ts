import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookFixture, type WebhookFixture } from './fixture.js';
import { runJobs } from '../helpers/jobs.js';
import { startFakeProviders, type FakeProviders } from '../helpers/msw.js';

/** An email event as Resend posts it (shape from Resend's webhook documentation). */
function emailEvent(type: string, emailId: string, to: string, extra: Record<string, unknown> = {}, createdAt = new Date()) {
  return {
    type,
    created_at: createdAt.toISOString(),
    data: {
      created_at: new Date(createdAt.getTime() - 2_000).toISOString().replace('Z', '+00:00'),
      email_id: emailId,
      from: 'Downtown Spa <downtown@spa.test>',
      to: [to],
      subject: 'Your appointment tomorrow',
      tags: { category: 'reminder' },
      ...extra,
    },
  };
}

function receivedEvent(emailId: string, from: string, to: string[], extra: Record<string, unknown> = {}) {
  return {
    type: 'email.received',
    created_at: new Date().toISOString(),
    data: {
      email_id: emailId,
      created_at: new Date().toISOString(),
      from,
      to,
      bcc: [],
      cc: [],
      received_for: to,
      message_id: `<${randomUUID()}@mail.example.com>`,
      subject: 'Re: Your appointment tomorrow',
      attachments: [{ id: randomUUID(), filename: 'photo.png', content_type: 'image/png', content_disposition: 'attachment', content_id: null }],
      ...extra,
    },
  };
}

describe('POST /email/webhooks/resend', () => {
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
  beforeEach(() => {
    fake.receivedEmail = () => ({ status: 404, body: { statusCode: 404, name: 'not_found', message: 'Email not found' } });
  });

  async function sentEmail(to: string) {
    const res = await f.post('/email/send', { to, subject: 'Your appointment tomorrow', text: 'See you at 10am.', location_id: f.loc.downtown });
    expect(res.status).toBe(202);
    await runJobs(f.deps);
    const messageId = res.json.messages[0].message_id as string;
    const message = await f.deps.prisma.message.findUniqueOrThrow({ where: { id: messageId } });
    expect(message).toMatchObject({ status: 'sent', provider: 'resend' });
    return { messageId, emailId: message.providerMessageId!, clientId: message.clientId };
  }
  const message = (id: string) => f.deps.prisma.message.findUniqueOrThrow({ where: { id } });

  it('applies sent and delivered, and answers what it did', async () => {
    const { messageId, emailId } = await sentEmail('olivia@example.com');
    const res = await f.resend(emailEvent('email.delivered', emailId, 'olivia@example.com'));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ received: true, type: 'email.delivered', outcome: 'applied', message_id: messageId, status: 'delivered', consent: null, detail: null });
    expect(await message(messageId)).toMatchObject({ status: 'delivered' });
    const sent = await f.resend(emailEvent('email.sent', emailId, 'olivia@example.com'));
    expect(sent.json).toMatchObject({ outcome: 'unchanged', status: 'delivered' }); // out of order: kept as history only
    expect((await message(messageId)).status).toBe('delivered');
  });

  it("finds the email by the tags Omega put on it, before Resend's id is stored, and by that id without them", async () => {
    const { messageId, emailId } = await sentEmail('noah.tags@example.com');
    const tags = Object.fromEntries(fake.resend.find((e) => e.idempotencyKey === `email/${messageId}`)!.tags!.map((t) => [t.name, t.value]));
    expect(tags).toEqual({ omega_message_id: messageId, omega_business_id: 'spa' });
    // As if the worker had not stored Resend's id yet: only the tags can name the message.
    await f.deps.pool.query('UPDATE messages SET provider_message_id = NULL WHERE id = $1', [messageId]);
    const res = await f.resend(emailEvent('email.delivered', emailId, 'noah.tags@example.com', { tags: { category: 'reminder', ...tags } }));
    expect(res.json).toMatchObject({ outcome: 'applied', message_id: messageId, status: 'delivered' });
    expect(await message(messageId)).toMatchObject({ status: 'delivered', providerMessageId: emailId });
    // Tags naming a message that does not exist: Resend's id decides.
    const other = await sentEmail('noah.tags2@example.com');
    const stray = { omega_message_id: '0193889f-cf03-7f62-a0a2-f944eec3e71d', omega_business_id: 'spa' };
    expect((await f.resend(emailEvent('email.delivered', other.emailId, 'noah.tags2@example.com', { tags: stray }))).json).toMatchObject({ outcome: 'applied', message_id: other.messageId });
  });

  it('a replayed delivery (same svix-id) records nothing', async () => {
    const { messageId, emailId } = await sentEmail('liam@example.com');
    const event = emailEvent('email.delivered', emailId, 'liam@example.com');
    expect((await f.resend(event, { id: 'msg_replay_1' })).json.outcome).toBe('applied');
    const before = { events: await f.count('message_events'), inbox: await f.count('inbox_events') };
    const again = await f.resend(event, { id: 'msg_replay_1' });
    expect(again.status).toBe(200);
    expect(again.json.outcome).toBe('duplicate');
    expect({ events: await f.count('message_events'), inbox: await f.count('inbox_events') }).toEqual(before);
    expect(await f.deps.prisma.messageEvent.count({ where: { messageId, providerEventId: 'msg_replay_1' } })).toBe(1);
  });

  it('a hard bounce makes the email undelivered and suppresses the address; later sends are refused', async () => {
    const { messageId, emailId, clientId } = await sentEmail('bounce@example.com');
    const res = await f.resend(
      emailEvent('email.bounced', emailId, 'bounce@example.com', {
        bounce: { message: "The recipient's email address is on the suppression list because it has a recent history of producing hard bounces.", subType: 'Suppressed', type: 'Permanent' },
      }),
    );
    expect(res.json).toMatchObject({ outcome: 'applied', status: 'undelivered', consent: 'email_suppressed' });
    expect(await message(messageId)).toMatchObject({ status: 'undelivered', errorCode: 'bounce:Permanent/Suppressed' });
    const client = await f.deps.prisma.client.findUniqueOrThrow({ where: { id: clientId } });
    expect(client).toMatchObject({ emailSuppressed: true, emailSuppressionReason: 'bounced: Permanent/Suppressed' });
    const inbox = (await f.deps.pool.query(`SELECT type FROM inbox_events WHERE payload->>'clientId' = $1`, [clientId])).rows;
    expect(inbox).toEqual([{ type: 'client.updated' }]);
    const refused = await f.post('/email/send', { to: 'bounce@example.com', subject: 'Hello', text: 'x', location_id: f.loc.downtown });
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('EMAIL_SUPPRESSED');
  });

  it('a transient bounce is recorded but suppresses nothing', async () => {
    const { messageId, emailId, clientId } = await sentEmail('full@example.com');
    await f.resend(emailEvent('email.bounced', emailId, 'full@example.com', { bounce: { message: 'Mailbox full', subType: 'MailboxFull', type: 'Transient' } }));
    expect((await message(messageId)).status).toBe('sent');
    expect((await f.deps.prisma.client.findUniqueOrThrow({ where: { id: clientId } })).emailSuppressed).toBe(false);
    expect(await f.deps.prisma.messageEvent.count({ where: { messageId, type: 'bounced' } })).toBe(1);
  });

  it('a complaint suppresses the address without changing the delivery status', async () => {
    const { messageId, emailId, clientId } = await sentEmail('spam@example.com');
    await f.resend(emailEvent('email.delivered', emailId, 'spam@example.com'));
    const res = await f.resend(emailEvent('email.complained', emailId, 'spam@example.com'));
    expect(res.json).toMatchObject({ outcome: 'unchanged', status: 'delivered', consent: 'email_suppressed' });
    expect(await f.deps.prisma.client.findUniqueOrThrow({ where: { id: clientId } })).toMatchObject({ emailSuppressed: true, emailSuppressionReason: 'complained' });
    expect((await message(messageId)).status).toBe('delivered');
  });

  it('records opens and clicks as events (with the link) without changing the status', async () => {
    const { messageId, emailId } = await sentEmail('reader@example.com');
    await f.resend(emailEvent('email.delivered', emailId, 'reader@example.com'));
    await f.resend(emailEvent('email.opened', emailId, 'reader@example.com'));
    await f.resend(
      emailEvent('email.clicked', emailId, 'reader@example.com', {
        click: { ipAddress: '122.115.53.11', link: 'https://spa.test/book', timestamp: '2026-11-24T05:00:57.163Z', userAgent: 'Mozilla/5.0' },
      }),
    );
    expect((await message(messageId)).status).toBe('delivered');
    const events = await f.deps.prisma.messageEvent.findMany({ where: { messageId, type: { in: ['opened', 'clicked'] } }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => [e.type, e.status])).toEqual([
      ['opened', null],
      ['clicked', null],
    ]);
    expect((events[1]!.payload as any).click.link).toBe('https://spa.test/book');
    expect(events[1]!.occurredAt.toISOString()).toBe('2026-11-24T05:00:57.163Z');
  });

  it('asks for a retry (404) while an unknown email id is fresh, then acknowledges and ignores it', async () => {
    const fresh = await f.resend(emailEvent('email.delivered', randomUUID(), 'x@example.com'));
    expect(fresh.status).toBe(404);
    expect(fresh.json.code).toBe('EMAIL_NOT_FOUND');
    const old = await f.resend(emailEvent('email.delivered', randomUUID(), 'x@example.com', {}, new Date(Date.now() - 3_600_000)), { timestamp: new Date() });
    expect(old.status).toBe(200);
    expect(old.json).toMatchObject({ outcome: 'ignored' });
    const other = await f.resend({ type: 'contact.created', created_at: new Date().toISOString(), data: { id: randomUUID(), email: 'a@b.test' } });
    expect(other.json).toMatchObject({ outcome: 'ignored', detail: expect.stringContaining('contact.created') });
  });

  describe('email.received', () => {
    it('an email from an unknown sender becomes an inbound message for a new client, with the content fetched from Resend', async () => {
      const emailId = randomUUID();
      fake.receivedEmail = (id) => ({
        status: 200,
        body: {
          object: 'email',
          id,
          to: ['downtown@spa.test'],
          from: 'Jane Doe <Jane.Doe@Example.com>',
          created_at: new Date().toISOString(),
          subject: 'Re: Your appointment tomorrow',
          html: '<p>Can we make it <b>11am</b>?</p>',
          text: 'Can we make it 11am?',
          headers: { 'x-mailer': 'test' },
          bcc: [],
          cc: [],
          reply_to: [],
          message_id: '<a@b>',
          attachments: [],
        },
      });
      const res = await f.resend(receivedEvent(emailId, 'Jane Doe <Jane.Doe@Example.com>', ['downtown@spa.test']));
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ outcome: 'stored', message_id: expect.any(String) });
      expect(fake.receivedLookups).toContain(emailId);
      const m = await message(res.json.message_id);
      expect(m).toMatchObject({
        businessId: 'spa',
        locationId: f.loc.downtown,
        channel: 'email',
        direction: 'inbound',
        status: 'received',
        subject: 'Re: Your appointment tomorrow',
        body: 'Can we make it 11am?',
        html: '<p>Can we make it <b>11am</b>?</p>',
        fromAddress: 'jane.doe@example.com',
        toAddress: 'downtown@spa.test',
        provider: 'resend',
        providerMessageId: emailId,
      });
      expect(m.metadata).toMatchObject({ fromName: 'Jane Doe', content: 'fetched', attachments: [expect.objectContaining({ filename: 'photo.png' })] });
      const client = await f.deps.prisma.client.findUniqueOrThrow({ where: { id: m.clientId } });
      expect(client).toMatchObject({ emails: ['jane.doe@example.com'], firstName: 'Jane', lastName: 'Doe', homeLocationId: f.loc.downtown });
      expect(await f.deps.prisma.conversation.findUniqueOrThrow({ where: { id: m.conversationId } })).toMatchObject({ unreadCount: 1, lastMessageChannel: 'email', lastMessageDirection: 'inbound' });
    });

    it("threads a sender's emails into the client's conversation (by address, any case) and stores a redelivery once", async () => {
      const known = await f.deps.prisma.client.create({ data: { businessId: 'spa', firstName: 'Noah', emails: ['noah@example.com'] } });
      const first = receivedEvent(randomUUID(), 'noah@example.com', ['Uptown@spa.test']);
      const a = await f.resend(first, { id: 'msg_inbound_a' });
      const b = await f.resend(receivedEvent(randomUUID(), 'Noah <NOAH@example.com>', ['uptown@spa.test']));
      const ma = await message(a.json.message_id);
      const mb = await message(b.json.message_id);
      expect(ma.clientId).toBe(known.id);
      expect(mb.conversationId).toBe(ma.conversationId);
      expect(ma.locationId).toBe(f.loc.uptown);
      expect(ma.metadata).toMatchObject({ content: 'not found at Resend' });
      const before = await f.count('messages');
      const again = await f.resend(first, { id: 'msg_inbound_a' });
      expect(again.json).toMatchObject({ outcome: 'duplicate', message_id: ma.id });
      const retried = await f.resend(first, { id: 'msg_inbound_b' }); // Resend retry under a new delivery
      expect(retried.json.outcome).toBe('duplicate');
      expect(await f.count('messages')).toBe(before);
    });

    it('answers 503 (Resend retries) and stores nothing when the content cannot be fetched', async () => {
      const emailId = randomUUID();
      const before = await f.count('messages');
      fake.receivedEmail = () => ({ status: 500, body: { statusCode: 500, name: 'internal_server_error', message: 'boom' } });
      const res = await f.resend(receivedEvent(emailId, 'ava@example.com', ['downtown@spa.test']));
      expect(res.status).toBe(503);
      expect(res.json.code).toBe('EMAIL_CONTENT_UNAVAILABLE');
      expect(await f.count('messages')).toBe(before);
      fake.receivedEmail = (id) => ({
        status: 200,
        body: {
          object: 'email',
          id,
          to: ['downtown@spa.test'],
          from: 'ava@example.com',
          created_at: new Date().toISOString(),
          subject: 'Hi',
          html: '<p>Hello&nbsp;there &amp; thanks</p>',
          text: null,
          headers: null,
          bcc: null,
          cc: null,
          reply_to: null,
          message_id: '<x@y>',
          attachments: [],
        },
      });
      const retry = await f.resend(receivedEvent(emailId, 'ava@example.com', ['downtown@spa.test']));
      expect(retry.json.outcome).toBe('stored');
      expect((await message(retry.json.message_id)).body).toBe('Hello there & thanks');
    });

    it('acknowledges an email to an address no location has, storing nothing', async () => {
      const before = { messages: await f.count('messages'), clients: await f.count('clients') };
      const res = await f.resend(receivedEvent(randomUUID(), 'someone@example.com', ['nobody@elsewhere.test']));
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ outcome: 'unrouted' });
      expect({ messages: await f.count('messages'), clients: await f.count('clients') }).toEqual(before);
    });
  });

  describe('signature', () => {
    const event = () => receivedEvent(randomUUID(), 'mallory@example.com', ['downtown@spa.test']);

    it('refuses missing headers, a tampered body, another secret, stale and future timestamps with 403, storing nothing', async () => {
      const before = { messages: await f.count('messages'), events: await f.count('message_events') };
      const e = event();
      const tampered = JSON.stringify({ ...e, data: { ...e.data, from: 'ceo@spa.test' } });
      const cases: [string, Parameters<WebhookFixture['resend']>[1], string][] = [
        ['no svix-signature', { headers: { 'svix-signature': '' } }, 'WEBHOOK_SIGNATURE_MISSING'],
        ['no svix-id', { headers: { 'svix-id': '' } }, 'WEBHOOK_SIGNATURE_MISSING'],
        ['tampered body', { body: tampered }, 'WEBHOOK_SIGNATURE_INVALID'],
        ['whitespace added to the body', { body: `${JSON.stringify(e)} ` }, 'WEBHOOK_SIGNATURE_INVALID'],
        ['another secret', { secret: `whsec_${Buffer.from('another secret of the right length').toString('base64')}` }, 'WEBHOOK_SIGNATURE_INVALID'],
        ['id changed after signing', { headers: { 'svix-id': 'msg_other' } }, 'WEBHOOK_SIGNATURE_INVALID'],
        ['stale timestamp (6 minutes)', { timestamp: new Date(Date.now() - 6 * 60_000) }, 'WEBHOOK_TIMESTAMP_OUT_OF_RANGE'],
        ['future timestamp (6 minutes)', { timestamp: new Date(Date.now() + 6 * 60_000) }, 'WEBHOOK_TIMESTAMP_OUT_OF_RANGE'],
        ['timestamp changed after signing', { headers: { 'svix-timestamp': String(Math.floor(Date.now() / 1000) - 10) } }, 'WEBHOOK_SIGNATURE_INVALID'],
      ];
      for (const [name, opts, code] of cases) {
        const res = await f.resend(e, opts);
        expect(res.status, name).toBe(403);
        expect(res.json, name).toEqual({ code, detail: expect.any(String) });
      }
      expect({ messages: await f.count('messages'), events: await f.count('message_events') }).toEqual(before);
    });

    it('accepts a signature within the 5-minute window, and one of several signatures (secret rotation)', async () => {
      const e = event();
      const fourMinutesAgo = await f.resend(e, { timestamp: new Date(Date.now() - 4 * 60_000) });
      expect(fourMinutesAgo.status).toBe(200);
      const rotated = event();
      const id = 'msg_rotation';
      const ts = new Date();
      const { Webhook } = await import('standardwebhooks');
      const good = new Webhook((await import('./fixture.js')).RESEND_SECRET).sign(id, ts, JSON.stringify(rotated));
      const res = await f.resend(rotated, { id, timestamp: ts, headers: { 'svix-signature': `v1,b2xkIHNpZ25hdHVyZSBvZiB0aGUgb2xkIHNlY3JldA== ${good}` } });
      expect(res.status).toBe(200);
    });

    it('answers 404 for an unknown provider before looking at the signature', async () => {
      const res = await f.resend(event(), { path: '/email/webhooks/sendgrid' });
      expect(res.status).toBe(404);
      expect(res.json.code).toBe('WEBHOOK_PROVIDER_NOT_FOUND');
    });

    it('refuses everything with 403 RESEND_WEBHOOK_NOT_CONFIGURED without RESEND_WEBHOOK_SECRET', async () => {
      const unconfigured = await startWebhookFixture({ resendSecret: null });
      try {
        const res = await unconfigured.resend(event());
        expect(res.status).toBe(403);
        expect(res.json.code).toBe('RESEND_WEBHOOK_NOT_CONFIGURED');
        expect(await unconfigured.count('messages')).toBe(0);
      } finally {
        await unconfigured.close();
      }
    });
  });
});
