import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Deps } from '../../src/domain/deps.js';
import { SEND_JOB_MAX_ATTEMPTS } from '../../src/domain/sending/sendJobMaxAttempts.js';
import { startFakeProviders, twilioError, type FakeProviders } from '../helpers/msw.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';

// The API process queues; a worker process, configured on its own, sends. Its
// OMEGA_SEND_MAX_ATTEMPTS is the one that counts.
describe('OMEGA_SEND_MAX_ATTEMPTS of the worker governs, whatever the queueing process has', () => {
  let fake: FakeProviders;
  let f: SendingFixture;
  let n = 0;
  const worker = (maxAttempts: number): Deps => ({ ...f.deps, sending: { maxAttempts } });
  const queue = async () => {
    const res = await f.post('/sms/send', { to: `+1415555${String(2000 + n++)}`, body: 'Hello', location_id: f.locationA });
    expect(res.status).toBe(202);
    return res.json.message_ids[0] as string;
  };
  const runAttempts = async (workerDeps: Deps, times: number) => {
    for (let i = 0; i < times; i++) {
      await f.makeJobsDue();
      await f.runJobs(workerDeps);
    }
  };

  beforeAll(async () => {
    fake = startFakeProviders();
    f = await startSendingFixture({ channels: fake.channels(), maxAttempts: 10 }); // the API process: 10
  });
  afterAll(async () => {
    await f.close();
    fake.close();
  });
  beforeEach(async () => {
    fake.reset();
    // 429: Twilio took nothing, so each attempt sends again (a 5xx would leave the message for a check).
    fake.twilioReply = () => twilioError(429, 20429, 'Too Many Requests');
    await f.deps.pool.query('DELETE FROM graphile_worker._private_jobs');
  });

  it('queues send jobs with room for the largest setting (25), not the queueing process’s 10', async () => {
    await queue();
    expect((await f.jobs()).map((j) => j.max_attempts)).toEqual([SEND_JOB_MAX_ATTEMPTS]);
    expect(loadConfig({ OMEGA_SEND_MAX_ATTEMPTS: String(SEND_JOB_MAX_ATTEMPTS) }).sending.maxAttempts).toBe(SEND_JOB_MAX_ATTEMPTS);
    expect(() => loadConfig({ OMEGA_SEND_MAX_ATTEMPTS: String(SEND_JOB_MAX_ATTEMPTS + 1) })).toThrow(/OMEGA_SEND_MAX_ATTEMPTS="26" is not a whole number from 1 to 25/);
  });

  it('a worker set to 2 fails the message after 2 attempts', async () => {
    const id = await queue();
    await runAttempts(worker(2), 2);
    expect(await f.message(id)).toMatchObject({ status: 'failed', attempts: 2, errorCode: '20429' });
    expect(fake.twilio).toHaveLength(2);
    expect(await f.jobs()).toHaveLength(0);
  });

  it('a worker set to 12 keeps trying past the queueing process’s 10', async () => {
    const id = await queue();
    await runAttempts(worker(12), 11);
    expect(await f.message(id)).toMatchObject({ status: 'queued', attempts: 11 });
    await runAttempts(worker(12), 1);
    expect(await f.message(id)).toMatchObject({ status: 'failed', attempts: 12 });
    expect(fake.twilio).toHaveLength(12);
  }, 60_000);

  it('a job queued with a lower max_attempts (before this rule) fails its message at that limit instead of leaving it queued', async () => {
    const id = await queue();
    await f.deps.pool.query(`UPDATE graphile_worker._private_jobs SET max_attempts = 3`);
    await runAttempts(worker(10), 3);
    expect(await f.message(id)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(await f.jobs()).toHaveLength(0);
  });
});
