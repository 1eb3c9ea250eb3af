// Campaign: one SMS campaign to 10,000 clients of one business, whose three locations send from
// three numbers paced at 50 sends per second each (sender overrides: the fake Twilio's senders are
// unpaced unless configured), drained by two `npm run worker` processes (configured by
// environment variables alone, as in production) against the fake Twilio (test/helpers/fakeTwilio.ts,
// in this process, recording each create with its receive time).
// Floor: 10,000 / 150 = 66.7 s, the time the three senders' rates allow. Printed per run and as
// medians: the time from the start call to the last send received at the fake and to the campaign's
// `completed`, its ratio to the floor (target within 5%: <= 1.05x), the most sends of one sender
// received in any one-second window (target: never over 50), and lost / doubled messages (target 0).
// Every wait is bounded (a run is stopped after 4x the floor).
// Usage: npm run bench -- campaign [recipients=10000] [rate=50] [runs=1]
import { loadavg } from 'node:os';
import pg from 'pg';
import { createTwilioSmsChannel } from '../src/channels/twilio/createTwilioSmsChannel.js';
import { createDeps } from '../src/createDeps.js';
import { createPool } from '../src/db/pool.js';
import type { Principal } from '../src/domain/auth/principal.js';
import { createCampaign } from '../src/domain/campaigns/createCampaign.js';
import { startCampaign } from '../src/domain/campaigns/campaignLifecycle.js';
import { setSenderRate } from '../src/domain/sending/pacing/senders.js';
import { startFakeTwilio, type ReceivedRequest } from '../test/helpers/fakeTwilio.js';
import { startWorkerProcess, type WorkerProcess } from '../test/helpers/workerProcess.js';
import { BENCH_SERVER, fmt, freshDatabase, median } from './_support.js';

const RECIPIENTS = Number(process.argv[3] ?? 10_000);
const RATE = Number(process.argv[4] ?? 50);
const RUNS = Number(process.argv[5] ?? 1);
const NUMBERS = ['+15005551001', '+15005551002', '+15005551003'];
const WORKERS = 2;
const CONCURRENCY = 32;
const BUSINESS = 'bench_campaign';
const service: Principal = { kind: 'service', apiKeyId: 'bench' };

interface RunResult {
  toLastSend: number;
  toCompleted: number;
  busiest: number[];
  received: number;
  lost: number;
  doubled: number;
}

/** The most of these receive times (ms) in any one-second window. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

async function seed(pool: pg.Pool): Promise<void> {
  await pool.query(`INSERT INTO businesses (id, name, updated_at) VALUES ($1, 'Campaign bench', now())`, [BUSINESS]);
  await pool.query(
    `INSERT INTO locations (business_id, name, sms_phone_number, updated_at)
     SELECT $1, 'Location ' || n, n, now() FROM unnest($2::text[]) n`,
    [BUSINESS, NUMBERS],
  );
  // Each client's home location, in turn: a third of the audience per sender.
  await pool.query(
    `WITH l AS (SELECT id, row_number() OVER (ORDER BY sms_phone_number) - 1 AS k FROM locations WHERE business_id = $1)
     INSERT INTO clients (business_id, first_name, phones, home_location_id, updated_at)
     SELECT $1, 'Client ' || i, ARRAY['+1415' || lpad((6000000 + i)::text, 7, '0')], l.id, now()
       FROM generate_series(1, $2::int) i JOIN l ON l.k = i % 3`,
    [BUSINESS, RECIPIENTS],
  );
}

async function oneRun(run: number): Promise<RunResult> {
  const database = `omega_bench_campaign_${process.pid}`;
  const url = await freshDatabase(database);
  const pool = createPool(url, 8, () => undefined);
  const fake = await startFakeTwilio();
  const deps = await createDeps({ url, pool }, { warn: () => undefined }, undefined, {
    channels: {
      sms: createTwilioSmsChannel({ accountSid: fake.accountSid, authToken: fake.authToken, publicBaseUrl: 'https://omega.example.com', defaultSender: null, apiBaseUrl: fake.url }),
    },
  });
  const workers: WorkerProcess[] = [];
  const floorMs = (RECIPIENTS / (RATE * NUMBERS.length)) * 1000;
  const deadline = Date.now() + Math.max(60_000, floorMs * 4);
  try {
    await seed(pool);
    for (const n of NUMBERS) await setSenderRate(deps, { principal: service, businessId: BUSINESS, sender: `sms:${n}`, ratePerSecond: RATE });
    for (let i = 0; i < WORKERS; i++) {
      workers.push(startWorkerProcess(url, fake, { PUBLIC_BASE_URL: 'https://omega.example.com', OMEGA_WORKER_CONCURRENCY: String(CONCURRENCY), OMEGA_PG_POOL_MAX: String(CONCURRENCY + 8) }));
    }
    // Both workers up (their heartbeat rows) before the clock starts.
    while ((await pool.query(`SELECT count(*)::int AS n FROM worker_heartbeats`)).rows[0].n < WORKERS) {
      if (Date.now() > deadline) throw new Error(`the workers did not start: ${workers.map((w) => w.output()).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const campaign = await createCampaign(deps, {
      principal: service,
      businessId: BUSINESS,
      name: `Reminders ${run}`,
      channel: 'sms',
      audience: { filters: {} },
      content: { body: 'Your appointment is tomorrow at 3pm. Reply STOP to opt out.', subject: null, html: null, mediaUrls: [] },
      bypassQuietHours: true,
    });
    const creates = () => fake.received.filter((r: ReceivedRequest) => r.method === 'POST' && r.path.endsWith('/Messages.json'));
    const started = Date.now();
    await startCampaign(deps, { principal: service, businessId: BUSINESS, id: campaign.id });
    let completedAt: number | null = null;
    let lastProgress = '';
    while (completedAt === null) {
      if (Date.now() > deadline) throw new Error(`run ${run}: not completed in ${fmt((deadline - started) / 1000)} s (${lastProgress}); worker output: ${workers[0]!.output().slice(-2000)}`);
      const { rows } = await pool.query(`SELECT status::text, completed_at FROM campaigns WHERE id = $1`, [campaign.id]);
      lastProgress = `${rows[0].status}, ${creates().length} received`;
      if (process.env['BENCH_VERBOSE']) {
        const q = await pool.query(`SELECT status::text, count(*)::int AS n FROM messages WHERE campaign_id = $1 GROUP BY 1`, [campaign.id]);
        const j = await pool.query(
          `SELECT count(*)::int AS n, count(*) FILTER (WHERE run_at <= now())::int AS due, count(*) FILTER (WHERE locked_at IS NOT NULL)::int AS locked FROM graphile_worker._private_jobs`,
        );
        console.log(`${fmt((Date.now() - started) / 1000)} s: ${lastProgress}; messages ${JSON.stringify(q.rows)}; jobs ${JSON.stringify(j.rows[0])}`);
      }
      if (rows[0].status === 'completed') completedAt = Date.now();
      else if (rows[0].status !== 'sending') throw new Error(`run ${run}: campaign ${rows[0].status}`);
      else await new Promise((r) => setTimeout(r, 200));
    }
    const all = creates();
    const perMessage = new Map<string, number>();
    for (const r of all) {
      const id = new URL(r.form.get('StatusCallback') ?? 'https://x/').searchParams.get('message_id') ?? 'unknown';
      perMessage.set(id, (perMessage.get(id) ?? 0) + 1);
    }
    const { rows: sentRows } = await pool.query(`SELECT count(*)::int AS n FROM messages WHERE campaign_id = $1 AND status = 'sent'`, [campaign.id]);
    const lastAt = Math.max(...all.map((r) => r.at.getTime()));
    return {
      toLastSend: (lastAt - started) / 1000,
      toCompleted: (completedAt - started) / 1000,
      busiest: NUMBERS.map((n) => busiestSecond(all.filter((r) => r.form.get('From') === n).map((r) => r.at.getTime()))),
      received: perMessage.size,
      lost: RECIPIENTS - Math.min(perMessage.size, sentRows[0].n),
      doubled: all.length - perMessage.size,
    };
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.child.exitCode !== null ? r(null) : w.child.once('exit', r)))).map((p) => Promise.race([p, new Promise((r) => setTimeout(r, 10_000))])));
    await deps.close();
    await pool.end();
    await fake.close();
    const admin = new pg.Client({ connectionString: BENCH_SERVER });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).finally(() => admin.end());
  }
}

const floor = RECIPIENTS / (RATE * NUMBERS.length);
const results: RunResult[] = [];
for (let run = 1; run <= RUNS; run++) {
  const r = await oneRun(run);
  results.push(r);
  console.log(
    `run ${run}: last send ${fmt(r.toLastSend)} s (${fmt(r.toLastSend / floor, 3)}x the floor), completed ${fmt(r.toCompleted)} s; busiest second per sender ${r.busiest.join(' / ')} (limit ${RATE}); received ${r.received}, lost ${r.lost}, doubled ${r.doubled}`,
  );
}
const last = median(results.map((r) => r.toLastSend));
console.log(
  `\ncampaign, ${RECIPIENTS} recipients over ${NUMBERS.length} senders at ${RATE}/s, ${WORKERS} worker processes, ${RUNS} run(s), load average ${loadavg()
    .map((l) => fmt(l, 2))
    .join(' ')}:`,
);
console.log(`  floor ${fmt(floor)} s; to the last send ${fmt(last)} s (median): ${fmt(last / floor, 3)}x the floor (target <= 1.05x)`);
console.log(`  to completed ${fmt(median(results.map((r) => r.toCompleted)))} s (the progress job notices within its tick)`);
console.log(
  `  busiest one-second window of a sender: ${Math.max(...results.flatMap((r) => r.busiest))} (limit ${RATE}); lost ${results.reduce((n, r) => n + r.lost, 0)}, doubled ${results.reduce((n, r) => n + r.doubled, 0)}`,
);
