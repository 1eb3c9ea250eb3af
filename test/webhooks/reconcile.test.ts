import { parseCrontab } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRONTAB } from '../../src/worker/taskList.js';
import { ACCOUNT_SID, startWebhookFixture, type WebhookFixture } from './fixture.js';
import { runJobs } from '../helpers/jobs.js';
import { startFakeProviders, twilioMessage, type FakeProviders } from '../helpers/msw.js';

describe('reconcile_sms_status: asking Twilio for SMS whose final callback never came', () => {
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

  async function sent(to: string, ageMinutes: number) {
    const res = await f.post('/sms/send', { to, body: 'Reminder: tomorrow 10am', location_id: f.loc.downtown });
    expect(res.status).toBe(202);
    await runJobs(f.deps);
    const id = res.json.messages[0].message_id as string;
    await f.deps.pool.query(`UPDATE messages SET updated_at = now() - make_interval(mins => $2) WHERE id = $1`, [id, ageMinutes]);
    const m = await f.deps.prisma.message.findUniqueOrThrow({ where: { id } });
    expect(m.status).toBe('sent');
    return { id, sid: m.providerMessageId! };
  }
  async function reconcile() {
    await f.deps.pool.query(`SELECT graphile_worker.add_job('reconcile_sms_status', '{}'::json, job_key => 'reconcile_sms_status')`);
    await runJobs(f.deps);
  }
  const status = async (id: string) => await f.deps.prisma.message.findUniqueOrThrow({ where: { id } });

  it('is a crontab job', () => {
    const items = parseCrontab(CRONTAB);
    expect(items.map((i) => i.task)).toContain('reconcile_sms_status');
  });

  it("applies Twilio's answer to stale messages only, once per report, and keeps asking a few times at most", async () => {
    const delivered = await sent('+14155550401', 120);
    const failed = await sent('+14155550402', 120);
    const gone = await sent('+14155550403', 120);
    const flaky = await sent('+14155550404', 120);
    const stillSent = await sent('+14155550405', 120);
    const fresh = await sent('+14155550406', 5);
    const answers: Record<string, ReturnType<FakeProviders['twilioMessage']>> = {
      [delivered.sid]: twilioMessage(delivered.sid, 'delivered'),
      [failed.sid]: twilioMessage(failed.sid, 'undelivered', 30003),
      [flaky.sid]: 'network-error',
      [stillSent.sid]: twilioMessage(stillSent.sid, 'sent'),
    };
    fake.twilioMessage = (sid) => answers[sid] ?? { status: 404, body: { code: 20404, message: 'The requested resource was not found', status: 404 } };
    fake.twilioLookups.length = 0;

    await reconcile();
    expect(fake.twilioLookups.sort()).toEqual([delivered.sid, failed.sid, gone.sid, flaky.sid, stillSent.sid].sort());
    expect(await status(delivered.id)).toMatchObject({ status: 'delivered' });
    expect(await status(failed.id)).toMatchObject({ status: 'undelivered', errorCode: '30003' });
    expect(await status(fresh.id)).toMatchObject({ status: 'sent' });
    expect((await status(gone.id)).metadata).toMatchObject({ statusChecks: 5 });
    expect((await status(stillSent.id)).metadata).toMatchObject({ statusChecks: 1 });
    expect((await status(flaky.id)).metadata).not.toHaveProperty('statusChecks'); // asked again next time
    const event = await f.deps.prisma.messageEvent.findFirstOrThrow({ where: { messageId: delivered.id, providerEventId: `${delivered.sid}:delivered` } });
    expect(event).toMatchObject({ type: 'reconciled', provider: 'twilio', status: 'delivered' });

    // A run right after asks only about the message that could not be checked.
    fake.twilioLookups.length = 0;
    await reconcile();
    expect(fake.twilioLookups).toEqual([flaky.sid]);

    // The callback that was "lost" arrives after all: the same report, so nothing is recorded twice.
    const before = await f.deps.prisma.messageEvent.count({ where: { messageId: delivered.id } });
    const res = await f.twilio(`/twilio/sms/status?message_id=${delivered.id}`, {
      MessageSid: delivered.sid,
      MessageStatus: 'delivered',
      SmsSid: delivered.sid,
      SmsStatus: 'delivered',
      AccountSid: ACCOUNT_SID,
      To: '+14155550401',
      From: '+15005550006',
      ApiVersion: '2010-04-01',
    });
    expect(res.status).toBe(200);
    expect(await f.deps.prisma.messageEvent.count({ where: { messageId: delivered.id } })).toBe(before);

    // Once the age has passed again it is asked again, up to the limit.
    for (let i = 0; i < 6; i++) {
      await f.deps.pool.query(`UPDATE messages SET metadata = metadata || jsonb_build_object('statusCheckedAt', now() - interval '2 hours') WHERE id = $1`, [stillSent.id]);
      await reconcile();
    }
    expect((await status(stillSent.id)).metadata).toMatchObject({ statusChecks: 5 });
    expect(fake.twilioLookups.filter((s) => s === stillSent.sid)).toHaveLength(4);
  });
});
