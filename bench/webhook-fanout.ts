// Webhook fan-out: deliveries per second of 10,000 events (2,000 in each of 5 businesses) to 5 local
// receivers (one endpoint each, in a process of their own), through the real path (the worker's
// dispatcher reads the log and queues deliveries in batches; each endpoint's deliverer signs,
// POSTs in order and records every attempt), against a floor: graphile-worker (same settings)
// running a task that makes the same signed HTTP POST of the same body (postWebhook), reading no log
// and recording nothing, with the same number of requests in flight (5) over kept-alive connections
// as the deliverers use, in the same run.
// Rounds alternate floor / delivery after a warm-up; medians and the ratio are printed (target >= 0.6x).
// Usage: npm run bench -- webhook-fanout [events=10000] [rounds=3]
import { fork, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import pino from 'pino';
import { run, Logger } from 'graphile-worker';
import { createDeps } from '../src/createDeps.js';
import { createPool } from '../src/db/pool.js';
import { postWebhook, webhookAgents } from '../src/domain/outboundWebhooks/postWebhook.js';
import { openSecret } from '../src/domain/outboundWebhooks/secretBox.js';
import { loadInboxEventObjects } from '../src/domain/inbox/inboxEventObjects.js';
import { inboxEventId, serializeInboxEvent } from '../src/domain/inbox/serializeInboxEvent.js';
import type { InboxEventRow } from '../src/db/sql/selectInboxEvents.js';
import { startWorker, workerSettings } from '../src/worker/startWorker.js';
import { insertTestEndpoint } from '../test/helpers/webhookEndpoints.js';
import { BENCH_SERVER, fmt, freshDatabase, median } from './_support.js';

const EVENTS = Number(process.argv[3] ?? 10_000);
const ROUNDS = Number(process.argv[4] ?? 3);
const RECEIVERS = 5;
const PER_BUSINESS = Math.ceil(EVENTS / RECEIVERS);
const silent = new Logger(() => () => undefined);
/** Every wait is bounded: a round that delivers nothing for this long fails the benchmark. */
const STALL_MS = 60_000;

async function startReceivers(): Promise<{ child: ChildProcess; urls: string[] }> {
  const child = fork(new URL('./_webhookReceivers.ts', import.meta.url).pathname, [String(RECEIVERS)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve({ child, ...JSON.parse(d.toString()) }));
    child.once('exit', () => reject(new Error('receivers exited')));
  });
}

async function waitUntil(what: string, count: () => Promise<number>, target: number): Promise<void> {
  let last = -1;
  let lastChange = performance.now();
  for (;;) {
    const n = await count();
    if (n >= target) return;
    if (n !== last) [last, lastChange] = [n, performance.now()];
    if (performance.now() - lastChange > STALL_MS) throw new Error(`${what}: stuck at ${n} of ${target} for ${STALL_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function main(): Promise<void> {
  const database = `omega_bench_webhook_fanout_${process.pid}`;
  const url = await freshDatabase(database);
  const pool = createPool(url, 40, () => undefined);
  const receivers = await startReceivers();
  const deps = await createDeps({ url, pool }, { warn: () => undefined }, undefined, { outboundWebhooks: { allowPrivate: true, secretGraceHours: 24, disableAfterDays: 3 } });
  const log = pino({ level: 'silent' });
  const floor: number[] = [];
  const ours: number[] = [];
  try {
    // Five businesses, each with a conversation and an endpoint to its own receiver.
    const setups: { businessId: string; conversationId: string; clientId: string; locationId: string; endpointId: string; secret: string }[] = [];
    for (let i = 0; i < RECEIVERS; i++) {
      const businessId = `fanout_${i}`;
      await deps.prisma.business.create({ data: { id: businessId, name: `Fan-out ${i}` } });
      const location = await deps.prisma.location.create({ data: { businessId, name: 'Main' } });
      const client = await deps.prisma.client.create({ data: { businessId, firstName: 'Rosa', lastName: `Client ${i}`, phones: [`+1415555${String(1000 + i)}`] } });
      const conversation = await deps.prisma.conversation.create({ data: { businessId, clientId: client.id, locationId: location.id } });
      const endpoint = await insertTestEndpoint(deps, businessId, receivers.urls[i]!);
      setups.push({ businessId, conversationId: conversation.id, clientId: client.id, locationId: location.id, endpointId: endpoint.id, secret: endpoint.secret });
    }
    /** 2,000 notes per business, each with its message.created event, one transaction per business. */
    const writeEvents = async (round: number) => {
      for (const s of setups) {
        await pool.query(
          `WITH m AS (
             INSERT INTO messages (business_id, conversation_id, client_id, location_id, channel, direction, status, body)
             SELECT $1, $2::uuid, $3::uuid, $4::uuid, 'note', 'internal', 'received', 'Round ' || $6::int || ', note ' || g || ': client prefers the 3pm slot.'
               FROM generate_series(1, $5::int) g
             RETURNING id, business_id, conversation_id)
           INSERT INTO inbox_events (business_id, type, conversation_id, message_id, payload)
           SELECT business_id, 'message.created', conversation_id, id,
                  jsonb_build_object('channel', 'note', 'direction', 'internal', 'status', 'received', 'conversationStatus', 'open', 'reopened', false)
             FROM m ORDER BY id`,
          [s.businessId, s.conversationId, s.clientId, s.locationId, PER_BUSINESS, round],
        );
      }
    };
    // The floor's body: the serialised form of a real event of each business (same size and signing).
    await writeEvents(-1);
    const bodies: { url: string; secret: string; id: string; body: string }[] = [];
    for (let i = 0; i < RECEIVERS; i++) {
      const s = setups[i]!;
      const { rows } = await pool.query<InboxEventRow>(
        `SELECT xid::text AS xid, id::text AS id, business_id, type, conversation_id, message_id, payload, created_at FROM inbox_events WHERE business_id = $1 ORDER BY id LIMIT 1`,
        [s.businessId],
      );
      const objects = await loadInboxEventObjects(deps, s.businessId, rows);
      bodies.push({
        url: receivers.urls[i]!,
        secret: openSecret(deps.outboundWebhooks.secretKey, (await deps.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: s.endpointId } })).secretEncrypted),
        id: inboxEventId(rows[0]!),
        body: JSON.stringify(serializeInboxEvent(rows[0]!, objects)),
      });
    }
    // Kept-alive connections, one per receiver, as each endpoint's deliverer keeps its own.
    const agents = webhookAgents();
    const policy = { allowPrivate: true, timeoutMs: 10_000, agents };

    const runFloor = async (): Promise<number> => {
      await pool.query(
        `SELECT count(*) FROM graphile_worker.add_jobs(ARRAY(
           SELECT ('bench_webhook_post'::text, json_build_object('r', i % ${RECEIVERS}), NULL, now(), 10, NULL, NULL, NULL)::graphile_worker.job_spec FROM generate_series(1, $1::int) i))`,
        [PER_BUSINESS * RECEIVERS],
      );
      await pool.query('VACUUM ANALYZE graphile_worker._private_jobs');
      const started = performance.now();
      const runner = await run({
        pgPool: pool,
        taskList: {
          bench_webhook_post: async (payload) => {
            const b = bodies[(payload as { r: number }).r]!;
            const answer = await postWebhook({ url: b.url, secrets: [b.secret], id: b.id, timestamp: new Date(), body: b.body }, policy);
            if (!answer.ok) throw new Error(`receiver answered ${answer.statusCode ?? answer.error}`);
          },
        },
        ...workerSettings({ concurrency: RECEIVERS }),
        noHandleSignals: true,
        logger: silent,
      });
      try {
        await waitUntil('floor', async () => PER_BUSINESS * RECEIVERS - (await pool.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`)).rows[0].n, PER_BUSINESS * RECEIVERS);
      } finally {
        await runner.stop();
      }
      return (PER_BUSINESS * RECEIVERS) / ((performance.now() - started) / 1000);
    };

    const runOurs = async (round: number): Promise<number> => {
      // Events committed first; the worker (dispatcher and deliverers, as in production) then drains them.
      const before = (await pool.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'delivered'`)).rows[0].n as number;
      await writeEvents(round);
      await pool.query('ANALYZE inbox_events');
      const started = performance.now();
      const worker = await startWorker(deps, { concurrency: 32, deadAfterSeconds: 300, log });
      try {
        await waitUntil('delivery', async () => (await pool.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'delivered'`)).rows[0].n - before, PER_BUSINESS * RECEIVERS);
      } finally {
        await worker.stop();
      }
      const seconds = (performance.now() - started) / 1000;
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'delivered'`);
      if (rows[0].n !== 0) throw new Error(`${rows[0].n} deliveries not delivered`);
      return (PER_BUSINESS * RECEIVERS) / seconds;
    };

    // The warm-up round's events (written above) are delivered by the first run of ours.
    const warmFloor = await runFloor();
    const before = (await pool.query(`SELECT count(*)::int AS n FROM webhook_deliveries`)).rows[0].n as number;
    const worker = await startWorker(deps, { concurrency: 32, deadAfterSeconds: 300, log });
    await waitUntil('warm-up', async () => (await pool.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'delivered'`)).rows[0].n - before, PER_BUSINESS * RECEIVERS).finally(
      () => worker.stop(),
    );
    console.log(`warm-up: floor ${fmt(warmFloor)}/s`);
    for (let round = 1; round <= ROUNDS; round++) {
      const f = await runFloor();
      const o = await runOurs(round);
      floor.push(f);
      ours.push(o);
      console.log(`round ${round}: floor (POST only) ${fmt(f)}/s | delivery (log, order, attempts recorded) ${fmt(o)}/s | ${fmt(o / f, 2)}x`);
    }
  } finally {
    await deps.close();
    await pool.end();
    receivers.child.kill('SIGTERM');
    const admin = new pg.Client({ connectionString: BENCH_SERVER });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).finally(() => admin.end());
  }
  const f = median(floor);
  const o = median(ours);
  console.log(`\n${PER_BUSINESS * RECEIVERS} events to ${RECEIVERS} receivers, ${RECEIVERS} requests in flight, medians of ${ROUNDS} rounds`);
  console.log(`floor: graphile-worker, a task that POSTs the same signed body:   ${fmt(f)}/s`);
  console.log(`Omega: dispatcher + ordered deliverers, every attempt recorded:  ${fmt(o)}/s`);
  console.log(`ratio: ${fmt(o / f, 2)}x (target >= 0.6x)`);
}

await main();
