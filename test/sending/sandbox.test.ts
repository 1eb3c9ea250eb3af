import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSendingFixture, type SendingFixture } from './fixture.js';

// No provider credentials: the sandbox channels run the very same queue, worker and status code.
describe('sandbox providers: the full lifecycle without leaving the machine', () => {
  let f: SendingFixture;
  const send = async (to: string) => (await f.post('/sms/send', { to, body: 'Sandbox hello', location_id: f.locationA })).json.message_ids[0] as string;

  beforeAll(async () => {
    f = await startSendingFixture();
  });
  afterAll(() => f.close());

  it('accepts the send, returns an id, and reports delivered later through the status function', async () => {
    expect(f.deps.channels.sms.provider).toBe('sandbox');
    const id = await send('+14155550601');
    await f.runJobs();
    const m = await f.message(id);
    expect(m).toMatchObject({ status: 'delivered', provider: 'sandbox', attempts: 1 });
    expect(m.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect((await f.events(id)).map((e) => [e.type, e.status])).toEqual([
      ['attempt', 'sending'],
      ['sent', 'sent'],
      ['status', 'delivered'],
    ]);
    const report = (await f.events(id)).at(-1)!;
    expect(report).toMatchObject({ provider: 'sandbox', providerEventId: `${m.providerMessageId}:delivered` });
    expect((await f.inboxEvents(id)).filter((e) => e.type === 'message.status_changed').map((e) => e.payload.status)).toEqual(['sent', 'delivered']);
  });

  it.each([
    ['+15005550001', '21211'],
    ['+15005550009', '21614'],
    ['+15005550002', '21612'],
  ])('fails %s at once with Twilio’s error %s', async (to, code) => {
    const id = await send(to);
    await f.runJobs();
    expect(await f.message(id)).toMatchObject({ status: 'failed', errorCode: code, attempts: 1 });
  });

  it('opts the client out for +15005550004 (21610) and reports +15005550010 undelivered', async () => {
    const optedOut = await send('+15005550004');
    const unreachable = await send('+15005550010');
    await f.runJobs();
    const m = await f.message(optedOut);
    expect(m).toMatchObject({ status: 'failed', errorCode: '21610' });
    expect((await f.deps.prisma.client.findUniqueOrThrow({ where: { id: m.clientId } })).smsOptOut).toBe(true);
    expect(await f.message(unreachable)).toMatchObject({ status: 'undelivered', errorCode: '30003' });
  });

  it('fails +15005550011 once (transient) and then sends it', async () => {
    const id = await send('+15005550011');
    await f.runJobs();
    expect(await f.message(id)).toMatchObject({ status: 'queued', errorCode: '20500' });
    await f.makeJobsDue();
    await f.runJobs();
    expect(await f.message(id)).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('emails: delivered, bounce@sandbox.omega.local bounces (and is suppressed), invalid@ fails', async () => {
    const post = async (to: string) => (await f.post('/email/send', { to, subject: 'Hi', text: 'x' })).json.message_ids[0] as string;
    const ok = await post('someone@example.com');
    const bounce = await post('bounce@sandbox.omega.local');
    const invalid = await post('invalid@sandbox.omega.local');
    await f.runJobs();
    expect(await f.message(ok)).toMatchObject({ status: 'delivered', provider: 'sandbox' });
    const b = await f.message(bounce);
    expect(b).toMatchObject({ status: 'undelivered', errorCode: 'bounced' });
    expect((await f.deps.prisma.client.findUniqueOrThrow({ where: { id: b.clientId } })).emailSuppressed).toBe(true);
    expect(await f.message(invalid)).toMatchObject({ status: 'failed', errorCode: 'validation_error' });
  });
});
