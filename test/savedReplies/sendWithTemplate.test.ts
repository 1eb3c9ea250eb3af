// Sending a saved reply: each recipient rendered with its own client, location, the sending staff
// member and the business; what is stored is what Twilio and Resend got (msw, the real SDKs); a
// value missing without a fallback is a 422 naming the recipient and the variable, and nothing is
// queued; another business's reply is 404; a reply of the other channel is 422. Email replies
// thread: "Re: <last subject>" by default and In-Reply-To / References from the last inbound email.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { receiveInboundEmail } from '../../src/domain/webhooks/receiveInboundEmail.js';
import { startFakeProviders, type FakeProviders } from '../helpers/msw.js';
import { createBusiness } from '../helpers/testApp.js';
import { startSendingFixture, type SendingFixture } from '../sending/fixture.js';

describe('sending with a saved reply', () => {
  let fake: FakeProviders;
  let f: SendingFixture;
  let staffId: string;
  let rosa: string;
  let sam: string;
  let smsReply: string;
  let emailReply: string;
  let other: { id: string; apiKey: string };
  let theirs: string;

  const createReply = async (body: Record<string, unknown>, businessId = f.businessId, key = f.apiKey) => {
    const res = await f.post(`/businesses/${businessId}/saved-replies`, body, key);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    return res.json.id as string;
  };
  const gql = async (query: string, variables: Record<string, unknown>) => (await f.post('/graphql', { query, variables })).json;
  const messageCount = () => f.deps.prisma.message.count({ where: { businessId: f.businessId } });

  beforeAll(async () => {
    fake = startFakeProviders();
    f = await startSendingFixture({ channels: fake.channels(), businessId: 'tpl' });
    staffId = (await f.deps.prisma.staff.create({ data: { businessId: f.businessId, firstName: 'Maya' } })).id;
    rosa = (
      await f.deps.prisma.client.create({
        data: { businessId: f.businessId, firstName: 'Rosa', lastName: 'Mitchell', phones: ['+14155550101'], emails: ['rosa@example.com'], homeLocationId: f.locationA },
      })
    ).id;
    sam = (await f.deps.prisma.client.create({ data: { businessId: f.businessId, firstName: 'Sam', phones: ['+14155550102'], homeLocationId: f.locationB } })).id;
    smsReply = await createReply({ name: 'Visit', shortcut: 'visit', channel: 'sms', body: 'Hi {{client.first_name | "there"}}, {{staff.first_name}} at {{location.name}} ({{business.name}}).' });
    emailReply = await createReply({
      name: 'Invoice',
      shortcut: 'invoice',
      channel: 'email',
      subject: 'Your invoice, {{client.first_name}}',
      body: 'Dear {{client.first_name}} {{client.last_name | ""}},\nthanks from {{location.name}}.',
    });
    other = await createBusiness(f.deps, 'tpl-other');
    theirs = await createReply({ name: 'Theirs', shortcut: 'theirs', body: 'x' }, other.id, other.apiKey);
  });
  afterAll(async () => {
    await f.close();
    fake.close();
  });
  beforeEach(async () => {
    fake.reset();
    await f.deps.pool.query('DELETE FROM graphile_worker._private_jobs');
  });

  it('renders each recipient with its own values; what is stored is what Twilio got', async () => {
    const res = await f.post('/sms/send', {
      template_id: smsReply,
      staff_id: staffId,
      recipients: [{ client_id: rosa }, { client_id: sam }, { to: '+14155550103' }],
    });
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    const ids: string[] = res.json.message_ids;
    const stored = await Promise.all(ids.map((id) => f.message(id)));
    expect(stored.map((m) => m.body)).toEqual([
      'Hi Rosa, Maya at Downtown (Business tpl).',
      'Hi Sam, Maya at Uptown (Business tpl).',
      // A new client: no name (fallback), the business's default location (none: its first).
      expect.stringMatching(/^Hi there, Maya at (Downtown|Uptown) \(Business tpl\)\.$/),
    ]);
    expect(stored.every((m) => (m.metadata as Record<string, unknown>)['savedReplyId'] === smsReply)).toBe(true);
    // segments: the longest body's.
    expect(res.json.segments).toMatchObject({ encoding: 'gsm7', count: 1, units: Math.max(...stored.map((m) => m.body.length)) });
    await f.runJobs();
    expect(fake.twilio.map((r) => [r.to, r.body]).sort()).toEqual(stored.map((m) => [m.toAddress, m.body]).sort());
  });

  it('refuses a value missing without a fallback: 422 naming the recipient and the variable, nothing queued', async () => {
    const strict = await createReply({ name: 'Strict', shortcut: 'strict', body: 'Dear {{client.last_name}}, see you.' });
    const before = await messageCount();
    const res = await f.post('/sms/send', { template_id: strict, recipients: [{ client_id: rosa }, { client_id: sam }] });
    expect(res.status).toBe(422);
    expect(res.json.detail).toEqual([
      expect.objectContaining({
        type: 'template_value_missing',
        loc: ['body', 'recipients', 1],
        input: 'client.last_name',
        msg: expect.stringMatching(new RegExp(`Recipient \\+14155550102 \\(client ${sam}\\): \\{\\{client\\.last_name\\}\\} in the body has no value`)),
      }),
    ]);
    expect(await messageCount()).toBe(before);
    expect(await f.jobs()).toHaveLength(0);
    // Over GraphQL too.
    const g = await gql(`mutation ($i: SendSmsInput!) { sendSms(input: $i) { messageIds } }`, { i: { businessId: f.businessId, templateId: strict, recipients: [{ clientId: sam }] } });
    expect(g.errors[0].extensions).toMatchObject({ kind: 'validation', issues: [{ loc: ['input', 'recipients', 0], input: 'client.last_name' }] });
    expect(await messageCount()).toBe(before);
  });

  it("answers 404 for another business's reply, 422 for one of the other channel or an override that does not parse", async () => {
    const before = await messageCount();
    const foreign = await f.post('/sms/send', { template_id: theirs, to: '+14155550101' });
    expect(foreign.status).toBe(404);
    expect(foreign.json.code).toBe('SAVED_REPLY_NOT_FOUND');
    const g = await gql(`mutation ($i: SendEmailInput!) { sendEmail(input: $i) { messageIds } }`, { i: { businessId: f.businessId, templateId: theirs, recipients: [{ clientId: rosa }] } });
    expect(g.errors[0].extensions.code, JSON.stringify(g.errors)).toBe('SAVED_REPLY_NOT_FOUND');
    const mismatch = await f.post('/sms/send', { template_id: emailReply, to: '+14155550101' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.json.detail[0]).toMatchObject({ loc: ['body', 'template_id'], msg: expect.stringContaining('is for email') });
    const badOverride = await f.post('/sms/send', { template_id: smsReply, to: '+14155550101', body: 'Hi {{client.nick}}' });
    expect(badOverride.status).toBe(422);
    expect(badOverride.json.detail[0]).toMatchObject({ type: 'template_unknown_variable', loc: ['body', 'body'], input: 'client.nick' });
    const html = await f.post('/email/send', { template_id: emailReply, to: 'rosa@example.com', html: '<p>x</p>' });
    expect(html.status).toBe(422);
    expect(html.json.detail[0].loc).toEqual(['body', 'html']);
    expect(await messageCount()).toBe(before);
  });

  it('sends a body given with the reply in its place, rendered the same way (GraphQL)', async () => {
    const g = await gql(`mutation ($i: SendSmsInput!) { sendSms(input: $i) { messageIds segments { count encoding } } }`, {
      i: { businessId: f.businessId, templateId: smsReply, body: 'Edited: {{client.first_name}} 👋', recipients: [{ clientId: rosa }] },
    });
    expect(g.errors).toBeUndefined();
    expect(g.data.sendSms.segments).toEqual({ count: 1, encoding: 'ucs2' });
    const m = await f.message(g.data.sendSms.messageIds[0]);
    expect(m.body).toBe('Edited: Rosa 👋');
  });

  it('sends an email reply rendered per recipient; Resend gets the stored subject and text', async () => {
    const g = await gql(`mutation ($i: SendEmailInput!) { sendEmail(input: $i) { messageIds } }`, {
      i: { businessId: f.businessId, templateId: emailReply, recipients: [{ clientId: rosa }, { to: 'kim@example.com', firstName: 'Kim' }] },
    });
    expect(g.errors).toBeUndefined();
    const stored = await Promise.all(g.data.sendEmail.messageIds.map((id: string) => f.message(id)));
    expect(stored.map((m) => [m.subject, m.body])).toEqual([
      ['Your invoice, Rosa', 'Dear Rosa Mitchell,\nthanks from Downtown.'],
      ['Your invoice, Kim', expect.stringMatching(/^Dear Kim ,\nthanks from (Downtown|Uptown)\.$/)],
    ]);
    await f.runJobs();
    expect(fake.resend.map((r) => [r.to[0], r.subject, r.text, r.html]).sort()).toEqual(stored.map((m) => [m.toAddress, m.subject, m.body, null]).sort());
  });

  it('threads an email reply: Re: <last subject> (not stacked) and In-Reply-To / References from the last inbound email', async () => {
    const inbound = await receiveInboundEmail(f.deps, {
      emailId: 'em_thread_1',
      deliveryId: 'msg_thread_1',
      from: 'Rosa Mitchell <rosa@example.com>',
      to: ['downtown@spa.test'],
      cc: [],
      receivedFor: [],
      subject: 'RE: Re: Booking on Friday',
      messageIdHeader: '<CAF=abc123@mail.example.com>',
      attachments: [],
      occurredAt: new Date(),
    });
    expect(inbound.outcome).toBe('stored');
    const reply = await f.post('/email/send', { client_id: rosa, location_id: f.locationA, text: 'Friday works.' });
    expect(reply.status, JSON.stringify(reply.json)).toBe(202);
    const m = await f.message(reply.json.message_ids[0]);
    expect(m.subject).toBe('Re: Booking on Friday');
    expect((m.metadata as Record<string, unknown>)['emailThread']).toEqual({ inReplyTo: '<CAF=abc123@mail.example.com>', references: '<CAF=abc123@mail.example.com>' });
    // A subject given is kept; the headers still thread it. A caller's own emailThread is not taken.
    const withSubject = await f.post('/email/send', { client_id: rosa, location_id: f.locationA, subject: 'New times', text: 'x', metadata: { emailThread: { inReplyTo: '<evil@x>' }, crm: 1 } });
    const m2 = await f.message(withSubject.json.message_ids[0]);
    expect(m2.subject).toBe('New times');
    expect(m2.metadata).toEqual({ crm: 1, emailThread: { inReplyTo: '<CAF=abc123@mail.example.com>', references: '<CAF=abc123@mail.example.com>' } });
    await f.runJobs();
    expect(fake.resend.map((r) => [r.subject, r.headers])).toEqual([
      ['Re: Booking on Friday', { 'In-Reply-To': '<CAF=abc123@mail.example.com>', References: '<CAF=abc123@mail.example.com>' }],
      ['New times', { 'In-Reply-To': '<CAF=abc123@mail.example.com>', References: '<CAF=abc123@mail.example.com>' }],
    ]);

    // No subject and no earlier email: 422 on the subject, naming the recipient; a first email has no thread headers.
    const first = await f.post('/email/send', { to: 'new@example.com', text: 'Hello' });
    expect(first.status).toBe(422);
    expect(first.json.detail[0]).toMatchObject({ type: 'missing', loc: ['body', 'subject'], msg: expect.stringContaining('new@example.com') });
    fake.reset();
    const fresh = await f.post('/email/send', { to: 'new@example.com', subject: 'Hello', text: 'Hello' });
    expect(fresh.status).toBe(202);
    await f.runJobs();
    expect(fake.resend[0]!.headers).toBeUndefined();
  });
});
