// Scale-out of the worker: the same 20,000 queued SMS drained by one `npm run worker` process and by
// two, in the same run (issue 19's target: two workers at least 1.6x one). Each worker is the real
// process (node --import tsx src/worker/main.ts, the production settings: concurrency 32, a pool of
// 40), sending through the real send_sms task to one fake Twilio process on 127.0.0.1.
//
// A drain is timed from the moment the jobs become runnable to the last message recorded `sent` with
// its job gone:
// the jobs are queued due in a day, the workers are started and wait (each has beaten its heartbeat
// once its worker pool is up), then one statement makes every job due and a NOTIFY wakes them.
// Start-up (module loading, migrations check) is not in the figure.
//
// Where the time goes: the CPU each process used during the drain (/proc), per job: the workers,
// the PostgreSQL backends of the database, the fake Twilio. On this 2-core machine the whole drain
// shares 2 cores, so 2000 ms / (total CPU ms per job) is the most jobs per second any number of
// workers can reach: the ceiling printed beside the figures.
// Usage: npm run bench -- drain-workers [jobs=20000] [rounds=3]
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import pg from 'pg';
import { createPool, type Pool } from '../src/db/pool.js';
import { queueSends } from './_queueSends.js';
import { BENCH_SERVER, fmt, freshDatabase, median, procCpuMs, startFakeTwilioProcess } from './_support.js';

const JOBS = Number(process.argv[3] ?? 20_000);
const ROUNDS = Number(process.argv[4] ?? 3);
/** A drain with no message sent for this long has stalled. */
const STALL_MS = 30_000;
const DRAIN_LIMIT_MS = Math.max(180_000, JOBS * 20);
const ROOT = new URL('..', import.meta.url).pathname;

interface Worker {
  child: ChildProcess;
  output(): string;
}

function startWorker(url: string, twilio: { url: string; accountSid: string; authToken: string }): Worker {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'],
      DATABASE_URL: url,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      OMEGA_TWILIO_API_BASE_URL: twilio.url,
      PUBLIC_BASE_URL: 'https://omega.example.com',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => output };
}

async function stopWorker(w: Worker): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise((r) => w.child.once('exit', r));
  w.child.kill('SIGTERM');
  const timer = setTimeout(() => w.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, workers: Worker[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    const dead = workers.find((w) => w.child.exitCode !== null);
    if (dead) throw new Error(`a worker exited (${dead.child.exitCode}) while waiting for ${what}: ${dead.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Drain {
  workers: number;
  rate: number;
  /** CPU ms per job: the workers together, PostgreSQL's backends and WAL writer, the fake Twilio. */
  cpu: { workers: number; postgres: number; fake: number };
}

async function backendsCpuMs(pool: Pool): Promise<Map<number, number>> {
  const { rows } = await pool.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() OR backend_type = 'walwriter'`);
  return new Map(rows.map((r: { pid: number }) => [r.pid, procCpuMs(r.pid)]));
}

async function drain(pool: Pool, url: string, twilio: Awaited<ReturnType<typeof startFakeTwilioProcess>>, businessId: string, fromNumber: string, count: number): Promise<Drain> {
  await queueSends(pool, businessId, fromNumber, JOBS);
  await pool.query(`UPDATE graphile_worker._private_jobs SET run_at = now() + interval '1 day'`);
  await pool.query('VACUUM ANALYZE graphile_worker._private_jobs');
  await pool.query('ANALYZE messages');
  await pool.query('DELETE FROM worker_heartbeats');
  const workers = Array.from({ length: count }, () => startWorker(url, twilio));
  try {
    await until(`${count} worker(s) up`, async () => (await pool.query(`SELECT count(*)::int AS n FROM worker_heartbeats`)).rows[0].n >= count, 60_000, workers);
    const before = await backendsCpuMs(pool);
    const workersBefore = workers.map((w) => procCpuMs(w.child.pid!));
    const fakeBefore = procCpuMs(twilio.child.pid!);
    const started = performance.now();
    await pool.query(`UPDATE graphile_worker._private_jobs SET run_at = now()`);
    await pool.query(`SELECT pg_notify('jobs:insert', json_build_object('count', $1::int)::text)`, [JOBS]);
    let sent = 0;
    let progressAt = performance.now();
    for (;;) {
      // Done when every message is recorded sent and its job is gone (a job ends just after its status is written).
      const { n, jobs } = (
        await pool.query(`SELECT (SELECT count(*)::int FROM messages WHERE business_id = $1 AND status = 'sent') AS n, (SELECT count(*)::int FROM graphile_worker._private_jobs) AS jobs`, [businessId])
      ).rows[0] as { n: number; jobs: number };
      if (n === JOBS && jobs === 0) break;
      const now = performance.now();
      if (n > sent) {
        sent = n;
        progressAt = now;
      }
      const dead = workers.find((w) => w.child.exitCode !== null);
      const why = dead ? `a worker exited: ${dead.output()}` : now - progressAt > STALL_MS ? `no message sent for ${STALL_MS / 1000} s` : now - started > DRAIN_LIMIT_MS ? 'too long' : null;
      if (why) throw new Error(`drain of ${count} worker(s) stopped at ${n}/${JOBS}: ${why}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const seconds = (performance.now() - started) / 1000;
    const after = await backendsCpuMs(pool);
    let postgres = 0;
    for (const [pid, ms] of after) postgres += ms - (before.get(pid) ?? 0);
    const workersMs = workers.reduce((sum, w, i) => sum + procCpuMs(w.child.pid!) - workersBefore[i]!, 0);
    return { workers: count, rate: JOBS / seconds, cpu: { workers: workersMs / JOBS, postgres: postgres / JOBS, fake: (procCpuMs(twilio.child.pid!) - fakeBefore) / JOBS } };
  } finally {
    await Promise.all(workers.map(stopWorker));
  }
}

async function fakeStats(child: ChildProcess): Promise<{ creates: number; sentMessages: number; duplicates: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the fake Twilio did not answer its stats')), 5_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m as { creates: number; sentMessages: number; duplicates: number });
    });
    child.send({ type: 'stats' });
  });
}

async function main(): Promise<void> {
  const database = `omega_bench_drain_workers_${process.pid}`;
  const url = await freshDatabase(database);
  const pool = createPool(url, 4, () => undefined);
  const twilio = await startFakeTwilioProcess();
  const runs: Drain[] = [];
  const cpu = (d: Drain) => `cpu ms/job: workers ${fmt(d.cpu.workers, 2)}, postgres ${fmt(d.cpu.postgres, 2)}, fake ${fmt(d.cpu.fake, 2)}`;
  try {
    for (let round = 0; round <= ROUNDS; round++) {
      // Alternate which goes first, so neither always drains the fresher database.
      for (const count of round % 2 ? [2, 1] : [1, 2]) {
        const run = await drain(pool, url, twilio, `dw_${round}_${count}`, `+1500555${String(1000 + round * 10 + count)}`, count);
        console.log(`${round === 0 ? 'warm-up' : `round ${round}`}: ${count} worker${count > 1 ? 's' : ''} ${fmt(run.rate)} sends/s  ${cpu(run)}`);
        if (round > 0) runs.push(run);
      }
    }
    const stats = await fakeStats(twilio.child);
    if (stats.duplicates !== 0) throw new Error(`the fake Twilio received ${stats.duplicates} messages twice`);
    const of = (count: number) => runs.filter((r) => r.workers === count);
    const mid = (count: number): Drain => {
      const rs = of(count);
      return {
        workers: count,
        rate: median(rs.map((r) => r.rate)),
        cpu: { workers: median(rs.map((r) => r.cpu.workers)), postgres: median(rs.map((r) => r.cpu.postgres)), fake: median(rs.map((r) => r.cpu.fake)) },
      };
    };
    const one = mid(1);
    const two = mid(2);
    const total = (d: Drain) => d.cpu.workers + d.cpu.postgres + d.cpu.fake;
    console.log(
      `\ndrain-workers, ${JOBS} sends each, ${ROUNDS} rounds (medians; load average now ${loadavg()
        .map((l) => fmt(l, 2))
        .join(' ')}); ${stats.creates} messages at the fake Twilio, none twice:`,
    );
    for (const d of [one, two]) {
      console.log(
        `  ${d.workers} worker process${d.workers > 1 ? 'es' : ''}   ${fmt(d.rate)} sends/s   ${cpu(d)}, total ${fmt(total(d), 2)} ms/job: 2 cores allow at most ${fmt(2000 / total(d))} sends/s`,
      );
    }
    console.log(`  two workers: ${fmt(two.rate / one.rate, 2)}x one (target >= 1.6x)`);
  } finally {
    await pool.end();
    twilio.child.kill('SIGTERM');
    const admin = new pg.Client({ connectionString: BENCH_SERVER });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).finally(() => admin.end());
  }
}

await main();
