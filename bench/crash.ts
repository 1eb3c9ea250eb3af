// Crash: exactly-once SMS over worker crashes. 2,000 queued SMS drained by `npm run worker`
// processes (configured by environment variables alone: concurrency 16, Twilio at the fake
// Twilio, test/helpers/fakeTwilio.ts, answering every request in 300 ms), killed with SIGKILL 10
// times during the drain, each after it sent its share; then one more worker finishes the queue.
// Each killed worker dies with about 16 sends in flight: created at the fake, their answers lost.
// Counted at the fake: delivered (distinct messages it received), lost (never received) and
// duplicates (received more than once), and the time from the first worker's start to the last
// message recorded. The dead-worker wait (OMEGA_WORKER_DEAD_AFTER_SECONDS) is skipped by moving
// the dead worker's deadline to now and running release_dead_workers' statement, as
// test/sending/crash.test.ts does. Every wait is bounded; the whole run is stopped after 15 minutes.
// Usage: npm run bench -- crash [messages=2000] [crashes=10] [runs=1]
import pg from 'pg';
import { createPool, type Pool } from '../src/db/pool.js';
import { releaseDeadWorkers } from '../src/db/sql/workerHeartbeats.js';
import { startFakeTwilio, type FakeTwilio } from '../test/helpers/fakeTwilio.js';
import { startWorkerProcess, waitFor, type WorkerProcess } from '../test/helpers/workerProcess.js';
import { queueSends } from './_queueSends.js';
import { BENCH_SERVER, fmt, freshDatabase, median } from './_support.js';
import { pgSql } from '../src/db/sqlHandle.js';

const MESSAGES = Number(process.argv[3] ?? 2_000);
const CRASHES = Number(process.argv[4] ?? 10);
const RUNS = Number(process.argv[5] ?? 1);
const CONCURRENCY = 16;
const LATENCY_MS = 300;
/** Sends each worker makes before it is killed: the drain is spread over CRASHES + 1 workers. */
const SENDS_PER_WORKER = Math.floor(MESSAGES / (CRASHES + 2));
const ROUND_TIMEOUT_MS = 90_000;
const FINISH_TIMEOUT_MS = 300_000;
const RUN_TIMEOUT_MS = 15 * 60_000;

type Worker = WorkerProcess;

const startWorker = (databaseUrl: string, fake: FakeTwilio): Worker =>
  startWorkerProcess(databaseUrl, fake, {
    PUBLIC_BASE_URL: 'https://omega.example.com',
    OMEGA_WORKER_CONCURRENCY: String(CONCURRENCY),
    OMEGA_PG_POOL_MAX: String(CONCURRENCY + 8),
  });

/** Ends a worker: `signal`, then SIGKILL if it has not exited within 15 s. */
async function stopWorker(worker: Worker, signal: NodeJS.Signals): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  const exited = new Promise((r) => worker.child.once('exit', r));
  worker.child.kill(signal);
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function statusCounts(pool: Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query(`SELECT status::text, count(*)::int AS n FROM messages WHERE business_id = 'crash' GROUP BY 1`);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

interface RunResult {
  delivered: number;
  lost: number;
  duplicates: number;
  inFlightAtKills: number;
  adopted: number;
  resent: number;
  seconds: number;
}

async function runOnce(run: number, workers: Set<Worker>): Promise<RunResult> {
  const database = `omega_bench_crash_${process.pid}_${run}`;
  const url = await freshDatabase(database);
  const pool = createPool(url, 4, () => undefined);
  const fake = await startFakeTwilio({ latencyMs: LATENCY_MS, recordRequests: false });
  try {
    await queueSends(pool, 'crash', '+15005550006', MESSAGES);
    const started = performance.now();
    const inFlight = new Set<string>();
    for (let crash = 1; crash <= CRASHES; crash++) {
      const worker = startWorker(url, fake);
      workers.add(worker);
      const before = fake.stats().creates;
      const remaining = MESSAGES - fake.stats().sentMessages;
      const target = Math.min(SENDS_PER_WORKER, Math.max(1, remaining - CONCURRENCY));
      await waitFor(`worker ${crash} to send ${target} SMS`, () => fake.stats().creates - before >= target || worker.child.exitCode !== null, ROUND_TIMEOUT_MS, worker.output);
      if (worker.child.exitCode !== null) throw new Error(`worker ${crash} exited with ${worker.child.exitCode}\n${worker.output()}`);
      // Sends in flight at the kill: created at the fake, answer not yet written (300 ms latency);
      // the worker never gets those answers.
      for (const m of fake.messages) if (!m.answered) inFlight.add(m.sid);
      await stopWorker(worker, 'SIGKILL');
      workers.delete(worker);
      // Time moved on as it does in production: the dead worker's jobs are released
      // OMEGA_WORKER_DEAD_AFTER_SECONDS (5 minutes) after its last beat, so its claims are that old.
      await pool.query(`UPDATE worker_heartbeats SET dead_at = now() - interval '1 second'`);
      await pool.query(`UPDATE messages SET claimed_at = claimed_at - interval '5 minutes' WHERE status = 'sending'`);
      await releaseDeadWorkers(pgSql(pool));
      process.stdout.write(`  crash ${crash}/${CRASHES}: killed after ${fake.stats().creates - before} sends; ${fake.stats().sentMessages} of ${MESSAGES} received by the fake\n`);
    }
    const last = startWorker(url, fake);
    workers.add(last);
    await waitFor(
      'the last worker to finish the queue',
      async () => {
        const counts = await statusCounts(pool);
        return (counts['sent'] ?? 0) + (counts['failed'] ?? 0) === MESSAGES;
      },
      FINISH_TIMEOUT_MS,
      async () => `${JSON.stringify(await statusCounts(pool))}\n${last.output()}`,
    );
    const seconds = (performance.now() - started) / 1000;
    await stopWorker(last, 'SIGTERM');
    workers.delete(last);

    const stats = fake.stats();
    const { rows } = await pool.query(`SELECT payload->>'interrupted' AS interrupted, count(*)::int AS n FROM message_events WHERE type = 'sent' AND payload ? 'interrupted' GROUP BY 1`);
    const byKind = Object.fromEntries(rows.map((r) => [r.interrupted, r.n]));
    const counts = await statusCounts(pool);
    if ((counts['sent'] ?? 0) !== MESSAGES) process.stdout.write(`  messages by status: ${JSON.stringify(counts)}\n`);
    return {
      delivered: stats.sentMessages,
      lost: MESSAGES - stats.sentMessages,
      duplicates: stats.duplicates,
      inFlightAtKills: inFlight.size,
      adopted: byKind['adopted'] ?? 0,
      resent: byKind['resent'] ?? 0,
      seconds,
    };
  } finally {
    await fake.close();
    await pool.end();
    const admin = new pg.Client({ connectionString: BENCH_SERVER });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).finally(() => admin.end());
  }
}

async function main(): Promise<void> {
  const workers = new Set<Worker>();
  const watchdog = setTimeout(() => {
    console.error(`crash benchmark still running after ${RUN_TIMEOUT_MS / 60_000} minutes: stopped`);
    for (const w of workers) w.child.kill('SIGKILL');
    process.exit(1);
  }, RUN_TIMEOUT_MS * RUNS);
  watchdog.unref();
  const results: RunResult[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      console.log(`run ${run}/${RUNS}: ${MESSAGES} SMS, worker concurrency ${CONCURRENCY}, fake Twilio answering in ${LATENCY_MS} ms, ${CRASHES} kill -9 of the worker`);
      const r = await runOnce(run, workers);
      results.push(r);
      console.log(
        `run ${run}: delivered ${r.delivered}, lost ${r.lost}, duplicates ${r.duplicates} (counted at the fake); ` +
          `${r.inFlightAtKills} sends in flight at the kills, ${r.adopted} adopted and ${r.resent} sent after an interrupted attempt; ${fmt(r.seconds)} s`,
      );
    }
  } finally {
    for (const w of workers) w.child.kill('SIGKILL');
  }
  const m = (k: keyof RunResult) => median(results.map((r) => r[k]));
  console.log(`\ncrash, ${MESSAGES} SMS, ${CRASHES} crashes, ${RUNS} run(s) (medians):`);
  console.log(`  delivered ${m('delivered')}, lost ${m('lost')}, duplicates ${m('duplicates')} (counted at the fake Twilio)`);
  console.log(`  sends in flight at the kills ${m('inFlightAtKills')}: ${m('adopted')} found at Twilio and adopted, ${m('resent')} had not reached it and were sent`);
  console.log(`  time from the first worker's start to the last message recorded: ${fmt(m('seconds'))} s`);
  if (results.some((r) => r.lost > 0 || r.duplicates > 0)) process.exitCode = 1;
}

await main();
