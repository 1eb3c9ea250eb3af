// A send request's transaction stores its messages and jobs with no NOTIFY in its commit (addJobs:
// omega_add_jobs_quiet); the workers are woken after COMMIT by one coalesced NOTIFY per process and
// burst (createJobWaker), and a job whose wake-up never came (a crash right after COMMIT) is still
// taken at the workers' next poll (pollInterval 2 s).
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/domain/deps.js';
import { queueSms } from '../../src/domain/sending/queueSms.js';
import { INBOX_CHANNEL } from '../../src/events/inboxEventBus.js';
import { workerSettings } from '../../src/worker/startWorker.js';
import { withWorker } from '../helpers/jobs.js';
import { waitFor } from '../helpers/waitFor.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';

describe('send jobs: no NOTIFY in the request commit, one wake-up after it, the poll as the safety net', () => {
  let f: SendingFixture;
  let listener: pg.Client;
  let heard: { channel: string; payload: string; at: number }[] = [];
  /** f.deps whose handle wakes nobody: what a crash between COMMIT and the wake-up leaves. */
  let unwoken: Deps;

  beforeAll(async () => {
    f = await startSendingFixture();
    listener = new pg.Client({ connectionString: f.db.url });
    await listener.connect();
    listener.on('notification', (m) => heard.push({ channel: m.channel, payload: String(m.payload), at: performance.now() }));
    await listener.query('LISTEN "jobs:insert"');
    await listener.query(`LISTEN ${INBOX_CHANNEL}`);
    // Neither the workers nor the inbox subscribers are told after COMMIT: whatever NOTIFY arrives
    // would come from inside the request's transaction.
    unwoken = { ...f.deps, sql: { query: f.deps.sql.query, eventsWritten: () => undefined } };
  });
  afterAll(async () => {
    await listener.end();
    await f.close();
  });
  beforeEach(() => {
    heard = [];
  });

  const jobWakeUps = () => heard.filter((h) => h.channel === 'jobs:insert');
  const counted = () => jobWakeUps().reduce((n, h) => n + (JSON.parse(h.payload) as { count: number }).count, 0);

  it('a request whose handle wakes nobody: its jobs and inbox events committed, and no NOTIFY at all (none in its transaction)', async () => {
    const result = await queueSms(unwoken, { principal: null, businessId: f.businessId, recipients: [{ to: '+14155550301' }, { to: '+14155550302' }], body: 'Quiet' });
    const keys = result.messages.map((m) => `send_sms:${m.messageId}`);
    expect((await f.jobs()).map((j) => j.key)).toEqual(expect.arrayContaining(keys));
    expect((await f.inboxEvents(result.messages[0]!.messageId)).map((e) => e.type)).toEqual(['message.created']);
    await new Promise((r) => setTimeout(r, 500));
    expect(heard).toEqual([]);
  });

  it('concurrent requests: answered, then woken by fewer NOTIFYs than requests, counting every job, none from add_jobs', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => f.post('/sms/send', { to: `+1415555${String(400 + i).padStart(4, '0')}`, body: `Burst ${i}` })));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(202));
    await waitFor('the wake-ups of 12 jobs', () => counted() >= 12);
    await new Promise((r) => setTimeout(r, 200));
    expect(counted()).toBe(12);
    expect(jobWakeUps().length).toBeLessThan(12);
    // add_jobs' own payload carries a random "r"; the waker's only the count.
    for (const h of jobWakeUps()) expect(Object.keys(JSON.parse(h.payload))).toEqual(['count']);
    // The inbox subscribers were woken too, after COMMIT, coalesced the same way.
    await waitFor('the inbox wake-up', () => heard.some((h) => h.channel === INBOX_CHANNEL));
    expect(heard.filter((h) => h.channel === INBOX_CHANNEL).length).toBeLessThan(12);
  });

  it('a job committed without a wake-up is taken at the next poll, within the poll interval', async () => {
    const poll = workerSettings({ concurrency: 2 }).pollInterval!;
    await withWorker(f.deps, { concurrency: 2, deadAfterSeconds: 60, log: pino({ level: 'silent' }) }, async () => {
      // The worker's first look for jobs is done (it found the ones queued above and ran them).
      // Nothing left to run (sends and their delivery reports): the worker is idle, waiting for its next poll.
      await waitFor('the earlier jobs to run', async () => (await f.jobs()).length === 0, 15_000);
      await new Promise((r) => setTimeout(r, 300));
      heard = [];
      const started = performance.now();
      const {
        messages: [m],
      } = await queueSms(unwoken, { principal: null, businessId: f.businessId, recipients: [{ to: '+14155550310' }], body: 'Found by the poll' });
      await waitFor('the worker to send the message', async () => (await f.message(m!.messageId)).status !== 'queued', poll + 3_000);
      const elapsed = performance.now() - started;
      // No wake-up of ours (the send itself then queues a delivery report with add_job, whose payload has "r").
      expect(jobWakeUps().filter((h) => !('r' in JSON.parse(h.payload)))).toEqual([]);
      // The poll interval, plus the claim and this test's own polling on a loaded machine.
      expect(elapsed).toBeLessThan(poll + 1_500);
    });
  });
});
