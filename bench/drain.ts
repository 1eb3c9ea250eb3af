// Drain: sends per second from 20,000 queued SMS through send_sms (the real task: claim, Twilio SDK,
// status) to a local fake Twilio HTTP server on 127.0.0.1 (its own process), against graphile-worker
// running a no-op task over the same number of jobs, with the same worker settings (workerSettings,
// as startWorker runs in production), in the same run.
// Rounds run no-op / provider call only / send; medians and the ratio are printed (target >= 0.5x).
// "Provider call only" is a floor: the same jobs, whose task makes send_sms's Twilio call (the SDK,
// to the same fake Twilio) and records nothing. No send task that also claims and records its
// message can beat it; its ratio to the no-op is the most any send_sms can reach here.
// Usage: npm run bench -- drain [jobs=20000] [rounds=3] [concurrency=32]
import { fork, type ChildProcess } from 'node:child_process';
import { run, Logger, type TaskList } from 'graphile-worker';
import { createTwilioSmsChannel } from '../src/channels/twilio/createTwilioSmsChannel.js';
import type { SmsChannel } from '../src/channels/types.js';
import { createDeps } from '../src/createDeps.js';
import { createPool, type Pool } from '../src/db/pool.js';
import { workerSettings } from '../src/worker/startWorker.js';
import { taskList } from '../src/worker/taskList.js';
import pg from 'pg';
import { queueSends } from './_queueSends.js';
import { BENCH_SERVER, fmt, freshDatabase, median } from './_support.js';

const JOBS = Number(process.argv[3] ?? 20_000);
const ROUNDS = Number(process.argv[4] ?? 3);
/** graphile-worker concurrency of both runs (default: OMEGA_WORKER_CONCURRENCY's default, 32). */
const CONCURRENCY = Number(process.argv[5] ?? 32);
const silent = new Logger(() => () => undefined);

/** The fake Twilio (test/helpers/fakeTwilio.ts) as a process of its own, so its work is not this process's. */
async function startFakeTwilio(): Promise<{ child: ChildProcess; url: string; accountSid: string; authToken: string }> {
  const child = fork(new URL('../test/helpers/fakeTwilioProcess.ts', import.meta.url).pathname, ['--no-record'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve({ child, ...JSON.parse(d.toString()) }));
    child.once('exit', () => reject(new Error('fake Twilio exited')));
  });
}

/** Runs graphile-worker (same settings as startWorker) until no job is left; returns jobs per second. */
async function drainJobs(pool: Pool, tasks: TaskList, expected: number): Promise<number> {
  const started = performance.now();
  const runner = await run({ pgPool: pool, taskList: tasks, ...workerSettings({ concurrency: CONCURRENCY }), noHandleSignals: true, logger: silent });
  for (;;) {
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`);
    if (rows[0].n === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  return expected / seconds;
}

async function enqueueBare(pool: Pool, task: string): Promise<void> {
  await pool.query(
    `SELECT count(*) FROM graphile_worker.add_jobs(ARRAY(
       SELECT ($2::text, json_build_object('n', i), NULL, now(), 10, NULL, NULL, NULL)::graphile_worker.job_spec FROM generate_series(1, $1::int) i))`,
    [JOBS, task],
  );
}

/** The floor's task: send_sms's provider call for a fixed message, nothing read or written. */
function providerCallOnly(sms: SmsChannel): TaskList {
  return {
    bench_provider_call: async (payload) => {
      const n = (payload as { n: number }).n;
      const result = await sms.send({
        messageId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
        businessId: 'drain_floor',
        attempt: 1,
        to: '+14155550100',
        body: `Reminder #${n}: see you tomorrow at 3pm.`,
        mediaUrls: [],
        sender: { from: '+15005550006' },
      });
      if (!result.ok) throw new Error(`fake Twilio refused a send: ${result.code} ${result.message}`);
    },
  };
}

async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: BENCH_SERVER });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function main(): Promise<void> {
  // One database per run: two runs at once (helpers sharing a machine) must not drop each other's.
  const database = `omega_bench_sending_drain_${process.pid}`;
  const url = await freshDatabase(database);
  const pool = createPool(url, 40, () => undefined); // OMEGA_PG_POOL_MAX's default
  const twilio = await startFakeTwilio();
  const deps = await createDeps({ url, pool }, { warn: () => undefined }, undefined, {
    channels: {
      sms: createTwilioSmsChannel({
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        publicBaseUrl: 'https://omega.example.com',
        defaultSender: null,
        apiBaseUrl: twilio.url,
      }),
    },
  });
  const noop: number[] = [];
  const calls: number[] = [];
  const sends: number[] = [];
  try {
    for (let round = 0; round <= ROUNDS; round++) {
      await enqueueBare(pool, 'bench_noop');
      await pool.query('VACUUM ANALYZE graphile_worker._private_jobs');
      const noopRate = await drainJobs(pool, { bench_noop: async () => undefined }, JOBS);
      await enqueueBare(pool, 'bench_provider_call');
      await pool.query('VACUUM ANALYZE graphile_worker._private_jobs');
      const callRate = await drainJobs(pool, providerCallOnly(deps.channels.sms), JOBS);
      await queueSends(pool, `drain_${round}`, `+1500555${String(1000 + round).slice(-4)}`, JOBS);
      await pool.query('VACUUM ANALYZE graphile_worker._private_jobs');
      await pool.query('ANALYZE messages');
      const sendRate = await drainJobs(pool, taskList(deps), JOBS);
      const { rows } = await pool.query(`SELECT status, count(*)::int AS n FROM messages WHERE business_id = $1 GROUP BY 1`, [`drain_${round}`]);
      const sent = rows.find((r) => r.status === 'sent')?.n ?? 0;
      if (sent !== JOBS) throw new Error(`round ${round}: ${sent} of ${JOBS} messages sent (${JSON.stringify(rows)})`);
      if (round === 0) {
        console.log(`warm-up: no-op ${fmt(noopRate)} jobs/s, provider call only ${fmt(callRate)} jobs/s, send_sms ${fmt(sendRate)} sends/s`);
        continue;
      }
      noop.push(noopRate);
      calls.push(callRate);
      sends.push(sendRate);
      console.log(`round ${round}: no-op ${fmt(noopRate)} jobs/s | provider call only ${fmt(callRate)} jobs/s | send_sms ${fmt(sendRate)} sends/s (${JOBS} each, all sent)`);
    }
  } finally {
    await deps.close();
    await pool.end();
    twilio.child.kill('SIGTERM');
    await dropDatabase(database);
  }
  const n = median(noop);
  const c = median(calls);
  const s = median(sends);
  console.log(`\ndrain, ${JOBS} jobs, concurrency ${CONCURRENCY}, ${ROUNDS} rounds (medians):`);
  console.log(`  graphile-worker no-op task        ${fmt(n)} jobs/s`);
  console.log(`  provider call only (floor)        ${fmt(c)} jobs/s (${fmt(c / n, 2)}x the no-op: the most any send task can reach here)`);
  console.log(`  send_sms to fake Twilio           ${fmt(s)} sends/s`);
  console.log(`  ratio ${fmt(s / n, 2)}x (target >= 0.5x); ${fmt(s / c, 2)}x the provider-call floor`);
}

await main();
