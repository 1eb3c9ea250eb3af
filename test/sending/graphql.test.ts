import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from '../helpers/msw.js';
import { createBusiness } from '../helpers/testApp.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';

describe('GraphQL sending mutations', () => {
  let fake: FakeProviders;
  let f: SendingFixture;
  const gql = async (query: string, variables: Record<string, unknown>, key = f.apiKey) => {
    const res = await f.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': key, 'content-type': 'application/json' }, payload: { query, variables } });
    return res.json() as { data?: any; errors?: any[] };
  };

  beforeAll(async () => {
    fake = startFakeProviders();
    f = await startSendingFixture({ channels: fake.channels() });
  });
  afterAll(async () => {
    await f.close();
    fake.close();
  });

  it('sendSms queues and reports ids, statuses and segments; the worker sends it', async () => {
    const r = await gql(
      `mutation($input: SendSmsInput!) { sendSms(input: $input) { requestId status messageIds segments { encoding count units } messages { messageId to status created scheduledAt } } }`,
      { input: { businessId: f.businessId, recipients: [{ to: '(415) 555-0701' }, { to: '+14155550702' }], body: 'Hi from GraphQL', requestId: 'gql-1', locationId: f.locationA } },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.sendSms).toMatchObject({ requestId: 'gql-1', status: 'queued', segments: { encoding: 'gsm7', count: 1, units: 15 } });
    expect(r.data.sendSms.messages.map((m: any) => [m.to, m.status, m.created])).toEqual([
      ['+14155550701', 'queued', true],
      ['+14155550702', 'queued', true],
    ]);
    await f.runJobs();
    expect(fake.twilio).toHaveLength(2);

    const status = await gql(`mutation($input: UpdateMessageStatusInput!) { updateMessageStatus(input: $input) { messageId previousStatus status changed duplicate } }`, {
      input: { businessId: f.businessId, messageId: r.data.sendSms.messageIds[0], status: 'delivered', eventId: 'gql-evt-1' },
    });
    expect(status.data.updateMessageStatus).toMatchObject({ previousStatus: 'sent', status: 'delivered', changed: true, duplicate: false });
  });

  it('sendEmail, recordSms, recordEmail and processMessage map onto the same operations', async () => {
    const email = await gql(`mutation($input: SendEmailInput!) { sendEmail(input: $input) { status messageIds segments { count } } }`, {
      input: { businessId: f.businessId, recipients: [{ to: 'gql@example.com' }], subject: 'Hello', text: 'Plain' },
    });
    expect(email.data.sendEmail).toMatchObject({ status: 'queued', segments: null });
    const sms = await gql(`mutation($input: RecordSmsInput!) { recordSms(input: $input) { messageId status created } }`, {
      input: { businessId: f.businessId, direction: 'inbound', from: '+14155550703', body: 'Hi', provider: 'twilio', providerMessageId: 'SMgql1' },
    });
    expect(sms.data.recordSms).toMatchObject({ status: 'received', created: true });
    const again = await gql(`mutation($input: RecordSmsInput!) { recordSms(input: $input) { messageId created } }`, {
      input: { businessId: f.businessId, direction: 'inbound', from: '+14155550703', body: 'Hi', provider: 'twilio', providerMessageId: 'SMgql1' },
    });
    expect(again.data.recordSms).toEqual({ messageId: sms.data.recordSms.messageId, created: false });
    const rec = await gql(`mutation($input: RecordEmailInput!) { recordEmail(input: $input) { status } }`, {
      input: { businessId: f.businessId, to: 'gql2@example.com', subject: 'Receipt', html: '<p>x</p>', status: 'delivered' },
    });
    expect(rec.data.recordEmail.status).toBe('delivered');
    const note = await gql(`mutation($input: ProcessMessageInput!) { processMessage(input: $input) { mode channel direction messages { status } } }`, {
      input: { businessId: f.businessId, channel: 'note', to: '+14155550703', body: 'Prefers texts' },
    });
    expect(note.data.processMessage).toEqual({ mode: 'record', channel: 'note', direction: 'internal', messages: [{ status: 'recorded' }] });
  });

  it('retryMessage and retryMessages re-send failed messages', async () => {
    const r = await gql(`mutation($input: SendSmsInput!) { sendSms(input: $input) { messageIds } }`, {
      input: { businessId: f.businessId, recipients: [{ to: '+15005550704' }], body: 'x', locationId: f.locationA },
    });
    const id = r.data.sendSms.messageIds[0];
    fake.twilioReply = () => ({ status: 400, body: { code: 21211, message: 'invalid', status: 400 } });
    await f.runJobs();
    fake.twilioReply = () => null;
    const notFailed = await gql(`mutation($input: RetryMessageInput!) { retryMessage(input: $input) { status } }`, {
      input: { businessId: f.businessId, messageId: '01900000-0000-7000-8000-000000000000' },
    });
    expect(notFailed.errors?.[0].extensions.code).toBe('MESSAGE_NOT_FOUND');
    const one = await gql(`mutation($input: RetryMessageInput!) { retryMessage(input: $input) { messageId status attempts } }`, { input: { businessId: f.businessId, messageId: id } });
    expect(one.data.retryMessage).toEqual({ messageId: id, status: 'queued', attempts: 1 });
    const twice = await gql(`mutation($input: RetryMessageInput!) { retryMessage(input: $input) { status } }`, { input: { businessId: f.businessId, messageId: id } });
    expect(twice.errors?.[0].extensions.code).toBe('MESSAGE_NOT_FAILED');
    const many = await gql(`mutation($input: RetryMessagesInput!) { retryMessages(input: $input) { retried { messageId } skipped { messageId code } } }`, {
      input: { businessId: f.businessId, messageIds: [id] },
    });
    expect(many.data.retryMessages).toEqual({ retried: [], skipped: [{ messageId: id, code: 'MESSAGE_NOT_FAILED' }] });
  });

  it('maps domain errors to extensions.code and keeps businesses apart', async () => {
    const opted = await f.deps.prisma.client.create({ data: { businessId: f.businessId, phones: ['+14155550705'], smsOptOut: true } });
    const refused = await gql(`mutation($input: SendSmsInput!) { sendSms(input: $input) { status } }`, { input: { businessId: f.businessId, recipients: [{ clientId: opted.id }], body: 'x' } });
    expect(refused.errors?.[0].extensions.code).toBe('CLIENT_OPTED_OUT');
    const invalid = await gql(`mutation($input: SendSmsInput!) { sendSms(input: $input) { status } }`, { input: { businessId: f.businessId, recipients: [{ to: 'call me' }], body: 'x' } });
    expect(invalid.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ loc: ['input', 'recipients', 0, 'to'] }] });
    const other = await createBusiness(f.deps, 'gql-other');
    const forbidden = await gql(
      `mutation($input: SendSmsInput!) { sendSms(input: $input) { status } }`,
      { input: { businessId: f.businessId, recipients: [{ to: '+14155550706' }], body: 'x' } },
      other.apiKey,
    );
    expect(forbidden.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const badWord = await gql(`mutation($input: UpdateMessageStatusInput!) { updateMessageStatus(input: $input) { status } }`, {
      input: { businessId: f.businessId, messageId: '01900000-0000-7000-8000-000000000000', status: 'teleported' },
    });
    expect(badWord.errors?.[0].extensions.code).toBe('VALIDATION_FAILED');
  });

  it('names a bad field by its path in the mutation input, never by a REST path', async () => {
    const send = await gql(`mutation($input: SendSmsInput!) { sendSms(input: $input) { status } }`, {
      input: { businessId: f.businessId, recipients: [{ to: '+14155550707' }], body: 'x', mediaUrls: ['https://example.com/a.png', 'not a url'] },
    });
    expect(send.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ type: 'url_parsing', loc: ['input', 'mediaUrls', 1], input: 'not a url' }] });
    expect(send.errors?.[0].message).toBe('input.mediaUrls.1: Media must be a public http(s) URL');
    const author = await gql(`mutation($input: SendSmsInput!) { sendSms(input: $input) { status } }`, {
      input: { businessId: f.businessId, recipients: [{ to: '+14155550707' }], body: 'x', staffId: 'nope' },
    });
    expect(author.errors?.[0].extensions.issues).toEqual([expect.objectContaining({ type: 'uuid_parsing', loc: ['input', 'staffId'] })]);
    const badWord = await gql(`mutation($input: UpdateMessageStatusInput!) { updateMessageStatus(input: $input) { status } }`, {
      input: { businessId: f.businessId, messageId: '01900000-0000-7000-8000-000000000000', status: 'teleported' },
    });
    expect(badWord.errors?.[0].extensions.issues).toEqual([{ type: 'enum', loc: ['input', 'status'], msg: 'Unknown status word', input: 'teleported' }]);
    const retry = await gql(`mutation($input: RetryMessagesInput!) { retryMessages(input: $input) { retried { messageId } } }`, { input: { businessId: f.businessId, conversationId: 'nope' } });
    expect(retry.errors?.[0].extensions.issues).toEqual([expect.objectContaining({ loc: ['input', 'conversationId'] })]);
    const conversation = await gql(`mutation($input: CreateOrGetConversationInput!) { createOrGetConversation(input: $input) { id } }`, {
      input: { businessId: f.businessId, phone: 'call me', email: 'nobody' },
    });
    expect(conversation.errors?.[0].extensions.issues).toEqual([
      { type: 'value_error', loc: ['input', 'phone'], msg: 'Value is not a phone number', input: 'call me' },
      { type: 'value_error', loc: ['input', 'email'], msg: 'Value is not a valid email address', input: 'nobody' },
    ]);
    const rest = await f.app.inject({ method: 'POST', url: `/businesses/${f.businessId}/conversations`, headers: { 'x-api-key': f.apiKey }, payload: { phone: 'call me', email: 'nobody' } });
    expect(rest.json().detail).toEqual([
      { type: 'value_error', loc: ['body', 'phone'], msg: 'Value is not a phone number', input: 'call me' },
      { type: 'value_error', loc: ['body', 'email'], msg: 'Value is not a valid email address', input: 'nobody' },
    ]);
  });
});
