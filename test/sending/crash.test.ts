import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioSmsChannel } from '../../src/channels/twilio/createTwilioSmsChannel.js';
import { releaseDeadWorkers } from '../../src/db/sql/workerHeartbeats.js';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fakeTwilio.js';
import { startWorkerProcess } from '../helpers/workerProcess.js';
import { waitFor } from '../helpers/waitFor.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';
import { pgSql } from '../../src/db/sqlHandle.js';

const MESSAGES = 40;
const CONCURRENCY = 5;
/** Creates answered in each round before the fake starts holding answers (the worker is then killed). */
const ANSWERED_PER_ROUND = 8;

const startWorker = (databaseUrl: string, fake: FakeTwilio) =>
  startWorkerProcess(databaseUrl, fake, {
    PUBLIC_BASE_URL: 'https://omega.test',
    OMEGA_WORKER_CONCURRENCY: String(CONCURRENCY),
    OMEGA_PG_POOL_MAX: '10',
    OMEGA_WORKER_DEAD_AFTER_SECONDS: '300',
  });

describe('a worker process killed mid-send, twice, then the queue finished', () => {
  let f: SendingFixture;
  let fake: FakeTwilio;
  let worker: ReturnType<typeof startWorkerProcess> | undefined;

  beforeAll(async () => {
    fake = await startFakeTwilio();
    f = await startSendingFixture({
      channels: {
        sms: createTwilioSmsChannel({ accountSid: fake.accountSid, authToken: fake.authToken, apiBaseUrl: fake.url, publicBaseUrl: 'https://omega.test', defaultSender: null, timeoutMs: 5_000 }),
      },
    });
  });
  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    await f.close();
    await fake.close();
  });

  it('sends every SMS exactly once, counted at the fake Twilio: in-flight sends are found there and adopted, not sent again', async () => {
    const res = await f.post('/sms/send', {
      recipients: Array.from({ length: MESSAGES }, (_, i) => ({ to: `+1415555${String(7000 + i)}` })),
      body: 'Your appointment is tomorrow',
      location_id: f.locationA,
    });
    expect(res.status).toBe(202);
    const ids: string[] = res.json.message_ids;

    for (let round = 1; round <= 2; round++) {
      // Twilio answers some creates, then creates the next ones without ever answering: the worker
      // is killed with CONCURRENCY sends whose messages exist at Twilio and whose answers it never got.
      const before = fake.stats().creates;
      fake.answer = () => (fake.stats().creates - before <= ANSWERED_PER_ROUND ? 'accept' : 'accept-and-hang');
      worker = startWorker(f.db.url, fake);
      const w = worker;
      await waitFor(`round ${round}: ${CONCURRENCY} sends held at the fake`, () => fake.held() >= CONCURRENCY, 60_000, w.output);
      const exited = new Promise((r) => w.child.once('exit', r));
      w.child.kill('SIGKILL');
      await exited;
      fake.dropHeld();

      // Its jobs stay locked until its heartbeat's deadline (moved to now here) has passed; then
      // release_dead_workers frees them for the next worker. Its claims are dated back by the same
      // 5 minutes (OMEGA_WORKER_DEAD_AFTER_SECONDS), as they are when that time really passes.
      await f.deps.pool.query(`UPDATE messages SET claimed_at = claimed_at - interval '5 minutes' WHERE status = 'sending'`);
      const { rows: lockers } = await f.deps.pool.query(`SELECT DISTINCT locked_by FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL`);
      expect(lockers.length).toBe(1);
      expect(await releaseDeadWorkers(pgSql(f.deps.pool))).toEqual([]);
      await f.deps.pool.query(`UPDATE worker_heartbeats SET dead_at = now() - interval '1 second'`);
      expect(await releaseDeadWorkers(pgSql(f.deps.pool))).toEqual([lockers[0].locked_by]);
      const { rows: sending } = await f.deps.pool.query(`SELECT count(*)::int AS n FROM messages WHERE business_id = $1 AND status = 'sending'`, [f.businessId]);
      expect(sending[0].n).toBeGreaterThanOrEqual(CONCURRENCY);
    }
    const lostAnswers = fake.messages.filter((m) => !m.answered).map((m) => m.omegaMessageId!);
    expect(lostAnswers.length).toBeGreaterThanOrEqual(2 * CONCURRENCY);

    // Finish the queue (Twilio answers everything now).
    fake.answer = () => 'accept';
    await waitFor(
      'every message to be sent',
      async () => {
        await f.runJobs();
        const { rows } = await f.deps.pool.query(`SELECT count(*)::int AS n FROM messages WHERE business_id = $1 AND status = 'sent'`, [f.businessId]);
        return rows[0].n === MESSAGES;
      },
      30_000,
    );

    // Counted at the fake: each message created once, none lost, none twice.
    expect(fake.stats()).toEqual({ creates: MESSAGES, sentMessages: MESSAGES, duplicates: 0 });
    const { rows: after } = await f.deps.pool.query(
      `SELECT m.id::text, m.status::text, m.provider_message_id,
              (SELECT count(*)::int FROM message_events e WHERE e.message_id = m.id AND e.type = 'sent') AS sent_events,
              (SELECT e.payload->>'interrupted' FROM message_events e WHERE e.message_id = m.id AND e.type = 'sent') AS interrupted
         FROM messages m WHERE m.business_id = $1`,
      [f.businessId],
    );
    expect(after).toHaveLength(MESSAGES);
    for (const m of after) {
      expect(m.status, m.id).toBe('sent');
      expect(m.sent_events, m.id).toBe(1);
      expect(m.provider_message_id, m.id).toBe(fake.createsFor(m.id)[0]!.sid);
    }
    // Every send whose answer was lost was found at Twilio and adopted.
    const adopted = new Set(after.filter((m) => m.interrupted === 'adopted').map((m) => m.id));
    for (const id of lostAnswers) expect(adopted.has(id), id).toBe(true);
    expect(new Set(ids)).toEqual(new Set(after.map((m) => m.id)));
    expect(await f.jobs()).toHaveLength(0);
  }, 150_000);
});
