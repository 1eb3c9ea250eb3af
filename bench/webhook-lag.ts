// Webhook lag: from an event's commit to its arrival at the receiver, with events committed at a
// steady 200 per second (each a note and its message.created event in one transaction, announced
// after commit as the domain's writes are) and the worker in the API process (the default topology): the dispatcher
// woken by the commit's announcement, the deliverer's job, the signed POST. The receiver is a local
// HTTP server in this process; times are this process's monotonic clock. p50/p95/p99 per round and
// the median p95 are printed (target: p95 under 50 ms).
// Usage: npm run bench -- webhook-lag [rate=200] [seconds=10] [rounds=3]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import pino from 'pino';
import { createDeps } from '../src/createDeps.js';
import { createPool } from '../src/db/pool.js';
import { startWorker } from '../src/worker/startWorker.js';
import { insertTestEndpoint } from '../test/helpers/webhookEndpoints.js';
import { BENCH_SERVER, fmt, freshDatabase, median, percentile } from './_support.js';

const RATE = Number(process.argv[3] ?? 200);
const SECONDS = Number(process.argv[4] ?? 10);
const ROUNDS = Number(process.argv[5] ?? 3);
/** Every wait is bounded. */
const ARRIVAL_TIMEOUT_MS = 60_000;
/** A note and its message.created event, one transaction (insertMessage's event, without the summary update). */
const WRITE = `WITH m AS (
  INSERT INTO messages (business_id, conversation_id, client_id, location_id, channel, direction, status, body)
  VALUES ($1, $2::uuid, $3::uuid, $4::uuid, 'note', 'internal', 'received', $5)
  RETURNING id, business_id, conversation_id), e AS (
  INSERT INTO inbox_events (business_id, type, conversation_id, message_id, payload)
  SELECT business_id, 'message.created', conversation_id, id,
         jsonb_build_object('channel', 'note', 'direction', 'internal', 'status', 'received', 'conversationStatus', 'open', 'reopened', false) FROM m)
SELECT id::text AS id FROM m`;

async function main(): Promise<void> {
  const database = `omega_bench_webhook_lag_${process.pid}`;
  const url = await freshDatabase(database);
  const pool = createPool(url, 40, () => undefined);
  const deps = await createDeps({ url, pool }, { warn: () => undefined }, undefined, { outboundWebhooks: { allowPrivate: true, secretGraceHours: 24, disableAfterDays: 3 } });
  const arrived = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const event = JSON.parse(Buffer.concat(chunks).toString()) as { data: { message_id: string | null } };
      if (event.data.message_id && !arrived.has(event.data.message_id)) arrived.set(event.data.message_id, at);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const worker = await startWorker(deps, { concurrency: 32, deadAfterSeconds: 300, log: pino({ level: 'silent' }) });
  const p95s: number[] = [];
  try {
    await deps.prisma.business.create({ data: { id: 'lag', name: 'Lag' } });
    const location = await deps.prisma.location.create({ data: { businessId: 'lag', name: 'Main' } });
    const client = await deps.prisma.client.create({ data: { businessId: 'lag', firstName: 'Rosa', phones: ['+14155550100'] } });
    const conversation = await deps.prisma.conversation.create({ data: { businessId: 'lag', clientId: client.id, locationId: location.id } });
    await insertTestEndpoint(deps, 'lag', `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`);

    for (let round = 0; round <= ROUNDS; round++) {
      const count = round === 0 ? RATE : RATE * SECONDS;
      const committed = new Map<string, number>();
      const writes: Promise<void>[] = [];
      const start = performance.now();
      // Open loop: event i is written at start + i / RATE, whatever the earlier writes are doing.
      for (let i = 0; i < count; i++) {
        const due = start + (i * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        writes.push(
          pool.query<{ id: string }>(WRITE, ['lag', conversation.id, client.id, location.id, `Note ${i} of round ${round}`]).then(({ rows }) => {
            committed.set(rows[0]!.id, performance.now());
            deps.sql.eventsWritten(['lag']);
          }),
        );
      }
      await Promise.all(writes);
      const achieved = count / ((performance.now() - start) / 1000);
      const deadline = performance.now() + ARRIVAL_TIMEOUT_MS;
      while ([...committed.keys()].some((id) => !arrived.has(id))) {
        if (performance.now() > deadline)
          throw new Error(`round ${round}: ${[...committed.keys()].filter((id) => !arrived.has(id)).length} events not delivered within ${ARRIVAL_TIMEOUT_MS / 1000} s`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const lags = [...committed].map(([id, at]) => arrived.get(id)! - at).sort((a, b) => a - b);
      if (round === 0) {
        console.log(`warm-up: ${count} events, p50 ${fmt(percentile(lags, 50))} ms`);
        continue;
      }
      p95s.push(percentile(lags, 95));
      console.log(
        `round ${round}: ${count} events at ${fmt(achieved)}/s | commit to receiver p50 ${fmt(percentile(lags, 50))} ms, p95 ${fmt(percentile(lags, 95))} ms, p99 ${fmt(percentile(lags, 99))} ms, max ${fmt(lags.at(-1)!)} ms`,
      );
    }
  } finally {
    await worker.stop();
    server.closeAllConnections();
    server.close();
    await deps.close();
    await pool.end();
    const admin = new pg.Client({ connectionString: BENCH_SERVER });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).finally(() => admin.end());
  }
  console.log(`\ncommit to receiver at ${RATE} events/s, median p95 of ${ROUNDS} rounds: ${fmt(median(p95s))} ms (target < 50 ms)`);
}

await main();
