// Drain: sends per second from 20,000 queued SMS through send_sms (the real task: claim, Twilio SDK,
// status) to a local fake Twilio HTTP server on 127.0.0.1 (its own process), against graphile-worker
// running a no-op task over the same number of jobs, with the same worker settings (workerSettings,
// as startWorker runs in production), in the same run.
// Rounds run no-op / provider call only / send; medians and the ratios are printed (issue 17's
// target: send_sms >= 0.8x of the provider-call floor), with the CPU each process spent per job.
// "Provider call only" is a floor: the same jobs, whose task makes send_sms's Twilio call (the SDK,
// to the same fake Twilio) and records nothing. No send task that also claims and records its
// message can beat it; its ratio to the no-op is the most any send_sms can reach here.
// Usage: npm run bench -- drain [jobs=20000] [rounds=3] [concurrency=32]
import { run, Logger, type TaskList } from 'graphile-worker';
import { createTwilioSmsChannel } from '../src/channels/twilio/createTwilioSmsChannel.js';
import type { SmsChannel } from '../src/channels/types.js';
import { createDeps } from '../src/createDeps.js';
import { createPool, type Pool } from '../src/db/pool.js';
import { workerSettings } from '../src/worker/startWorker.js';
import { taskList } from '../src/worker/taskList.js';
import { loadavg } from 'node:os';
import pg from 'pg';
import { queueSends } from './_queueSends.js';
import { BENCH_SERVER, fmt, freshDatabase, median, procCpuMs, startFakeTwilioProcess } from './_support.js';

const JOBS = Number(process.argv[3] ?? 20_000);
const ROUNDS = Number(process.argv[4] ?? 3);
/** graphile-worker concurrency of both runs (default: OMEGA_WORKER_CONCURRENCY's default, 32). */
const CONCURRENCY = Number(process.argv[5] ?? 32);
/** graphile-worker's log: quiet, but its errors are kept for the message of a failed drain. */
const workerErrors: string[] = [];
const silent = new Logger(() => (level, message) => {
  if (String(level) === 'error') workerErrors.push(message.slice(0, 500));
});
/** A drain with no finished job for this long has stalled: it fails instead of waiting. */
const STALL_MS = 30_000;
/** No drain takes longer than this (20,000 jobs take 5-30 s here). */
const DRAIN_LIMIT_MS = Math.max(120_000, JOBS * 10);

/**
 * Runs graphile-worker (same settings as startWorker) until no job is left; returns jobs per second.
 * Every wait is bounded: the drain fails (with what is left and who holds it) when the runner stops
 * on its own (its promise settles: a pool error ends it and leaves its jobs locked), when no job
 * completes for STALL_MS, or after DRAIN_LIMIT_MS. A run of 2026-12-03 waited forever in its second
 * no-op round: 15,726 jobs left, 15 of them locked by a runner that had stopped, and this loop
 * polled the count with no deadline and never looked at the runner.
 */
async function drainJobs(pool: Pool, tasks: TaskList, expected: number, fakePid: number): Promise<Drained> {
  const locked = await pool.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE locked_at IS NOT NULL`);
  if (locked.rows[0].n > 0) throw new Error(`${locked.rows[0].n} jobs are locked before the drain starts (a previous runner did not release them)`);
  const cpuBefore = await cpuNow(pool, fakePid);
  const started = performance.now();
  const runner = await run({ pgPool: pool, taskList: tasks, ...workerSettings({ concurrency: CONCURRENCY }), noHandleSignals: true, logger: silent });
  let ended: string | null = null;
  runner.promise.then(
    () => (ended = 'the runner stopped on its own'),
    (err: unknown) => (ended = `the runner failed: ${err instanceof Error ? err.message : String(err)}`),
  );
  let left = Infinity;
  let progressAt = performance.now();
  try {
    for (;;) {
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`);
      const n = rows[0].n as number;
      if (n === 0) break;
      const now = performance.now();
      if (n < left) {
        left = n;
        progressAt = now;
      }
      const why = ended ?? (now - progressAt > STALL_MS ? `no job finished for ${STALL_MS / 1000} s` : now - started > DRAIN_LIMIT_MS ? `the drain took over ${DRAIN_LIMIT_MS / 1000} s` : null);
      if (why) throw new Error(`drain stopped: ${why}; ${await leftJobs(pool)}; worker errors: ${JSON.stringify(workerErrors.slice(-3))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    // Bounded too: a runner whose jobs hang would keep stop() waiting.
    await Promise.race([runner.stop().catch(() => undefined), new Promise((r) => setTimeout(r, 10_000).unref())]);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = await cpuNow(pool, fakePid);
  const perJob = (k: keyof CpuSample) => (cpuAfter[k] - cpuBefore[k]) / expected;
  return { rate: expected / seconds, cpu: { worker: perJob('worker'), postgres: perJob('postgres'), fake: perJob('fake') } };
}

interface CpuSample {
  /** CPU milliseconds so far of this process (the worker), */
  worker: number;
  /** of the PostgreSQL backends of this database plus the WAL writer, */
  postgres: number;
  /** and of the fake Twilio's process. */
  fake: number;
}
interface Drained {
  rate: number;
  /** CPU milliseconds per job, by process. */
  cpu: CpuSample;
}

/**
 * Where the time goes: the CPU each process has used. PostgreSQL's side is read from the server's
 * processes (the same machine): the pool's backends of this database (they live through a drain)
 * and the WAL writer.
 */
async function cpuNow(pool: Pool, fakePid: number): Promise<CpuSample> {
  const { rows } = await pool.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() OR backend_type = 'walwriter'`);
  const usage = process.cpuUsage();
  return {
    worker: (usage.user + usage.system) / 1000,
    postgres: rows.reduce((sum: number, r: { pid: number }) => sum + procCpuMs(r.pid), 0),
    fake: procCpuMs(fakePid),
  };
}

/** What is left in the queue and who holds it, for the message of a failed drain. */
async function leftJobs(pool: Pool): Promise<string> {
  const { rows } = await pool.query(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE locked_at IS NOT NULL)::int AS locked,
            array_agg(DISTINCT locked_by) FILTER (WHERE locked_by IS NOT NULL) AS holders,
            (array_agg(last_error) FILTER (WHERE last_error IS NOT NULL))[1] AS an_error
       FROM graphile_worker._private_jobs`,
  );
  const r = rows[0];
  return `${r.n} jobs left, ${r.locked} locked (by ${JSON.stringify(r.holders ?? [])})${r.an_error ? `, e.g. last error: ${String(r.an_error).slice(0, 300)}` : ''}`;
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
  const twilio = await startFakeTwilioProcess();
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
  const noop: Drained[] = [];
  const calls: Drained[] = [];
  const sends: Drained[] = [];
  const fakePid = twilio.child.pid!;
  const cpu = (d: Drained) => `cpu ms/job: worker ${fmt(d.cpu.worker, 2)}, postgres ${fmt(d.cpu.postgres, 2)}, fake ${fmt(d.cpu.fake, 2)}`;
  try {
    for (let round = 0; round <= ROUNDS; round++) {
      await enqueueBare(pool, 'bench_noop');
      await pool.query('VACUUM ANALYZE graphile_worker._private_jobs');
      const noopRun = await drainJobs(pool, { bench_noop: async () => undefined }, JOBS, fakePid);
      await enqueueBare(pool, 'bench_provider_call');
      await pool.query('VACUUM ANALYZE graphile_worker._private_jobs');
      const callRun = await drainJobs(pool, providerCallOnly(deps.channels.sms), JOBS, fakePid);
      await queueSends(pool, `drain_${round}`, `+1500555${String(1000 + round).slice(-4)}`, JOBS);
      await pool.query('VACUUM ANALYZE graphile_worker._private_jobs');
      await pool.query('ANALYZE messages');
      const sendRun = await drainJobs(pool, taskList(deps), JOBS, fakePid);
      const { rows } = await pool.query(`SELECT status, count(*)::int AS n FROM messages WHERE business_id = $1 GROUP BY 1`, [`drain_${round}`]);
      const sent = rows.find((r) => r.status === 'sent')?.n ?? 0;
      if (sent !== JOBS) throw new Error(`round ${round}: ${sent} of ${JOBS} messages sent (${JSON.stringify(rows)})`);
      const label = round === 0 ? 'warm-up' : `round ${round}`;
      console.log(`${label}: no-op ${fmt(noopRun.rate)} jobs/s | provider call only ${fmt(callRun.rate)} jobs/s | send_sms ${fmt(sendRun.rate)} sends/s (${JOBS} each, all sent)`);
      console.log(`  no-op ${cpu(noopRun)}\n  provider call only ${cpu(callRun)}\n  send_sms ${cpu(sendRun)}`);
      if (round === 0) continue;
      noop.push(noopRun);
      calls.push(callRun);
      sends.push(sendRun);
    }
  } finally {
    await deps.close();
    await pool.end();
    twilio.child.kill('SIGTERM');
    await dropDatabase(database);
  }
  const rate = (runs: Drained[]) => median(runs.map((r) => r.rate));
  const medianCpu = (runs: Drained[]): Drained => ({
    rate: rate(runs),
    cpu: { worker: median(runs.map((r) => r.cpu.worker)), postgres: median(runs.map((r) => r.cpu.postgres)), fake: median(runs.map((r) => r.cpu.fake)) },
  });
  const n = rate(noop);
  const c = rate(calls);
  const s = rate(sends);
  console.log(
    `\ndrain, ${JOBS} jobs, concurrency ${CONCURRENCY}, ${ROUNDS} rounds (medians; load average now ${loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')}):`,
  );
  console.log(`  graphile-worker no-op task        ${fmt(n)} jobs/s   ${cpu(medianCpu(noop))}`);
  console.log(`  provider call only (floor)        ${fmt(c)} jobs/s   ${cpu(medianCpu(calls))} (${fmt(c / n, 2)}x the no-op)`);
  console.log(`  send_sms to fake Twilio           ${fmt(s)} sends/s  ${cpu(medianCpu(sends))}`);
  console.log(`  send_sms: ${fmt(s / c, 2)}x the provider-call floor (target >= 0.8x); ${fmt(s / n, 2)}x the no-op`);
}

await main();
