import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProviders, twilioError, type FakeProviders } from '../helpers/msw.js';
import { createBusiness } from '../helpers/testApp.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';

describe('retry failed messages: one, and many by ids or filters', () => {
  let fake: FakeProviders;
  let f: SendingFixture;
  let n = 0;
  const failedSms = async () => {
    const res = await f.post('/sms/send', { to: `+1415555${String(3000 + n++)}`, body: 'Hello', location_id: f.locationA });
    const id = res.json.message_ids[0];
    fake.twilioReply = () => twilioError(400, 21612, 'Cannot route to this number');
    await f.runJobs();
    fake.twilioReply = () => null;
    expect((await f.message(id)).status).toBe('failed');
    return id as string;
  };

  beforeAll(async () => {
    fake = startFakeProviders();
    f = await startSendingFixture({ channels: fake.channels() });
  });
  afterAll(async () => {
    await f.close();
    fake.close();
  });
  beforeEach(() => fake.reset());

  it('re-sends a failed message for real: 202, queued with a new job, attempts counted, the old error kept in the event', async () => {
    const id = await failedSms();
    const res = await f.post(`/messages/${f.businessId}/messages/${id}/retry`, undefined);
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ message_id: id, status: 'queued', attempts: 1 });
    expect(await f.message(id)).toMatchObject({ status: 'queued', failedAt: null });
    expect((await f.jobs()).map((j) => j.key)).toEqual([`send_sms:${id}`]);
    await f.runJobs();
    expect(await f.message(id)).toMatchObject({ status: 'sent', attempts: 2, errorCode: null });
    expect(fake.twilio.filter((r) => r.statusCallback?.includes(id))).toHaveLength(2);
    const retry = (await f.events(id)).find((e) => e.type === 'retry')!;
    expect(retry).toMatchObject({ errorCode: '21612', status: 'queued' });
    expect((await f.inboxEvents(id)).some((e) => e.payload.retry === true && e.payload.status === 'queued')).toBe(true);
  });

  it('answers 409 MESSAGE_NOT_FAILED for a message that did not fail, 404 for an unknown one, 403 for another business', async () => {
    const sent = await f.post('/sms/send', { to: '+14155553999', body: 'ok', location_id: f.locationA });
    await f.runJobs();
    const res = await f.post(`/messages/${f.businessId}/messages/${sent.json.message_ids[0]}/retry`, undefined);
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('MESSAGE_NOT_FAILED');
    const inbound = await f.post('/sms/record', { direction: 'inbound', from: '+14155553998', body: 'hi' });
    expect((await f.post(`/messages/${f.businessId}/messages/${inbound.json.message_id}/retry`, undefined)).json.code).toBe('MESSAGE_NOT_FAILED');
    expect((await f.post(`/messages/${f.businessId}/messages/01900000-0000-7000-8000-000000000000/retry`, undefined)).status).toBe(404);
    expect((await f.post(`/messages/${f.businessId}/messages/not-a-uuid/retry`, undefined)).status).toBe(422);
    const other = await createBusiness(f.deps, 'retry-other');
    expect((await f.post(`/messages/${f.businessId}/messages/${sent.json.message_ids[0]}/retry`, undefined, other.apiKey)).status).toBe(403);
  });

  it('refuses to retry for a client who opted out since', async () => {
    const id = await failedSms();
    const m = await f.message(id);
    await f.deps.prisma.client.update({ where: { id: m.clientId }, data: { smsOptOut: true } });
    const res = await f.post(`/messages/${f.businessId}/messages/${id}/retry`, undefined);
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('CLIENT_OPTED_OUT');
    expect((await f.message(id)).status).toBe('failed');
  });

  it('retries many by ids, reporting the ones it cannot retry', async () => {
    const a = await failedSms();
    const b = await failedSms();
    const sent = await f.post('/sms/send', { to: '+14155553997', body: 'ok', location_id: f.locationA });
    await f.runJobs();
    const okId = sent.json.message_ids[0];
    const res = await f.post(`/messages/${f.businessId}/messages/retry`, { message_ids: [a, b, okId, '01900000-0000-7000-8000-000000000000'] });
    expect(res.status).toBe(202);
    expect(res.json.retried.map((r: any) => r.message_id)).toEqual([a, b]);
    expect(res.json.skipped.map((s: any) => [s.message_id, s.code])).toEqual([
      [okId, 'MESSAGE_NOT_FAILED'],
      ['01900000-0000-7000-8000-000000000000', 'MESSAGE_NOT_FOUND'],
    ]);
    await f.runJobs();
    expect((await f.message(a)).status).toBe('sent');
    expect((await f.message(b)).status).toBe('sent');
  });

  it('retries many by filters: channel, time and limit, oldest first', async () => {
    await f.deps.prisma.message.updateMany({ where: { status: 'failed' }, data: { status: 'canceled' } });
    const ids = [await failedSms(), await failedSms(), await failedSms()];
    const undelivered = await f.post('/sms/send', { to: '+14155553996', body: 'x', location_id: f.locationA });
    await f.runJobs();
    await f.post('/sms/status', { message_id: undelivered.json.message_ids[0], status: 'undelivered', error_code: '30003' });
    const first = await f.post(`/messages/${f.businessId}/messages/retry`, { channel: 'sms', status: ['failed'], limit: 2 });
    expect(first.json.retried.map((r: any) => r.message_id)).toEqual(ids.slice(0, 2));
    const rest = await f.post(`/messages/${f.businessId}/messages/retry`, { since: '2020-01-01T00:00:00Z' });
    expect(rest.json.retried.map((r: any) => r.message_id).sort()).toEqual([ids[2], undelivered.json.message_ids[0]].sort());
    const none = await f.post(`/messages/${f.businessId}/messages/retry`, { channel: 'email' });
    expect(none.json).toEqual({ retried: [], skipped: [] });
    expect((await f.post(`/messages/${f.businessId}/messages/retry`, { status: ['sent'] })).status).toBe(422);
  });
});
