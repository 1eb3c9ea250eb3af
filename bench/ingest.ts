// Ingest: what a send request costs against the least the same durable effect can cost.
// - Baseline (fixed, never a copy of Omega's statements): in a database of its own, migrated only up
//   to 20261128090000 (the schema before issue 17's index changes), one transaction per message that
//   is ONE statement: the message insert, its conversation's summary update and the inbox event
//   (no job: what "accepted" would cost with nothing to send it), over 32 connections, on
//   conversations created up front.
// - POST /sms/send with one recipient from 32 concurrent clients, over real HTTP on loopback, the
//   server in its own process as `npm start` runs it (worker off, so nothing drains). Target:
//   >= 0.8x of the baseline.
// - POST /sms/send with 500 recipients, 4 requests at a time: messages accepted per second.
//   Target: >= 5,000/s.
// Rounds alternate baseline / single / bulk; medians of the rounds and the ratio are printed.
// Every wait is bounded: each HTTP request (60 s), each statement (statement_timeout 60 s), each
// round (its seconds plus the slowest request), the gateway's start (60 s) and stop (10 s, then SIGKILL).
// Usage: npm run bench -- ingest [rounds=3] [seconds=6]
import { mkdtempSync, cpSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import pg from 'pg';
import { migrate, MIGRATIONS_DIR } from '../src/db/migrate.js';
import { BENCH_SERVER, databaseUrl, fmt, freshDatabase, median, percentile, startGateway } from './_support.js';

const ROUNDS = Number(process.argv[3] ?? 3);
const SECONDS = Number(process.argv[4] ?? 6);
const CONCURRENCY = 32;
const BULK_RECIPIENTS = 500;
const BULK_CONCURRENCY = 4;
const PHONES = 5_000; // single sends draw recipients from this many numbers: first contacts and repeat clients
const BASELINE_CONVERSATIONS = 5_000;
const BASELINE_SCHEMA = '20261128090000_worker_heartbeats';
const REQUEST_TIMEOUT_MS = 60_000;
const SERVICE_KEY = 'bench-service-key-0123456789abcdef';

interface Round {
  perSecond: number;
  /** Messages accepted per second (bulk: recipients of the requests answered 202). */
  messagesPerSecond: number;
  p50: number;
  p95: number;
  errors: number;
}

const phone = (i: number) => `+1415${String(5_000_000 + (i % PHONES)).padStart(7, '0')}`;
let sequence = 0;
let bulkSequence = 0;

/** Runs `op` from `concurrency` loops for SECONDS; `op` answers the messages it stored (0: failed). */
async function load(op: () => Promise<number>, concurrency = CONCURRENCY): Promise<Round> {
  const latencies: number[] = [];
  let errors = 0;
  let messages = 0;
  const end = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const n = await op().catch(() => 0);
        if (n > 0) {
          latencies.push(performance.now() - t0);
          messages += n;
        } else errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { perSecond: latencies.length / elapsed, messagesPerSecond: messages / elapsed, p50: percentile(latencies, 50) ?? NaN, p95: percentile(latencies, 95) ?? NaN, errors };
}

function post(agent: http.Agent, port: number, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/sms/send',
        method: 'POST',
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-api-key': SERVICE_KEY },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 202) return resolve(0);
          try {
            resolve((JSON.parse(Buffer.concat(chunks).toString()) as { message_ids: string[] }).message_ids.length);
          } catch {
            resolve(0);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

function singleSend(agent: http.Agent, port: number): Promise<number> {
  const n = sequence++;
  return post(agent, port, JSON.stringify({ business_id: 'bench_http', to: phone(n * 7919), body: `Reminder #${n}: your appointment is tomorrow at 3pm.`, request_id: `bench-${n}` }));
}

/** 500 recipients, new numbers every request (first contacts: the heavier case). */
function bulkSend(agent: http.Agent, port: number): Promise<number> {
  const n = bulkSequence++;
  const recipients = Array.from({ length: BULK_RECIPIENTS }, (_, i) => ({ to: `+1646${String(1_000_000 + n * BULK_RECIPIENTS + i).padStart(7, '0')}` }));
  return post(agent, port, JSON.stringify({ business_id: 'bench_bulk', recipients, body: `Spring offer #${n}: 20% off this week.`, request_id: `bulk-${n}` }));
}

/**
 * The baseline's one statement: the message, its conversation's summary (preview, last message,
 * activity, replied) and the inbox event, on the schema of 20261128090000.
 */
const BASELINE_STATEMENT = `
WITH m AS (
  INSERT INTO messages (business_id, conversation_id, client_id, location_id, channel, direction, status, body, from_address, to_address, media, metadata, created_at, updated_at)
  VALUES ($1, $2::uuid, $3::uuid, $4::uuid, 'sms', 'outbound', 'queued', $5, '+15005550007', $6, '[]', '{}', now(), now())
  RETURNING id, business_id, conversation_id, created_at, body
), conv AS (
  UPDATE conversations c SET last_message_at = m.created_at, last_message_preview = left(m.body, 160), last_message_channel = 'sms',
         last_message_direction = 'outbound', last_message_id = m.id, last_activity_at = m.created_at,
         last_outbound_at = greatest(c.last_outbound_at, m.created_at), updated_at = now()
    FROM m WHERE c.id = m.conversation_id
  RETURNING c.status
)
INSERT INTO inbox_events (business_id, type, conversation_id, message_id, payload)
SELECT m.business_id, 'message.created', m.conversation_id, m.id,
       jsonb_build_object('channel', 'sms', 'direction', 'outbound', 'status', 'queued', 'conversationStatus', conv.status)
  FROM m LEFT JOIN conv ON true`;

interface BaselineConversation {
  id: string;
  client_id: string;
  location_id: string;
  phone: string;
}

/** A database migrated up to BASELINE_SCHEMA only, with one business, a location and its conversations. */
async function baselineDatabase(): Promise<{ url: string; conversations: BaselineConversation[] }> {
  const name = 'omega_bench_sending_ingest_baseline';
  const admin = new pg.Client({ connectionString: BENCH_SERVER });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const dir = mkdtempSync(join(tmpdir(), 'omega-baseline-migrations-'));
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    for (const entry of readdirSync(MIGRATIONS_DIR)) {
      if (entry <= BASELINE_SCHEMA || !/^\d{14}_/.test(entry)) cpSync(join(MIGRATIONS_DIR, entry), join(dir, entry), { recursive: true });
    }
    await migrate(pool, dir);
    await pool.query(`INSERT INTO businesses (id, name, updated_at) VALUES ('bench_base', 'bench_base', now())`);
    await pool.query(`INSERT INTO locations (business_id, name, sms_phone_number, time_zone, updated_at) VALUES ('bench_base', 'Main', '+15005550007', 'America/New_York', now())`);
    await pool.query(
      `INSERT INTO clients (business_id, phones, created_at, updated_at)
       SELECT 'bench_base', ARRAY['+1415' || lpad((5000000 + g)::text, 7, '0')], now(), now() FROM generate_series(0, $1 - 1) g`,
      [BASELINE_CONVERSATIONS],
    );
    await pool.query(
      `INSERT INTO conversations (business_id, client_id, location_id, updated_at)
       SELECT c.business_id, c.id, l.id, now() FROM clients c JOIN locations l ON l.business_id = c.business_id WHERE c.business_id = 'bench_base'`,
    );
    await pool.query('VACUUM ANALYZE');
    const { rows } = await pool.query<BaselineConversation>(
      `SELECT v.id::text, v.client_id::text, v.location_id::text, c.phones[1] AS phone FROM conversations v JOIN clients c ON c.id = v.client_id ORDER BY v.id`,
    );
    return { url, conversations: rows };
  } finally {
    await pool.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function baselineSend(pool: pg.Pool, conversations: BaselineConversation[]): Promise<number> {
  const n = sequence++;
  const c = conversations[(n * 7919) % conversations.length]!;
  await pool.query(BASELINE_STATEMENT, ['bench_base', c.id, c.client_id, c.location_id, `Reminder #${n}: your appointment is tomorrow at 3pm.`, c.phone]);
  return 1;
}

/** SIGTERM, and SIGKILL after 10 s: a benchmark never hangs on its server's shutdown. */
async function stopWithin(stop: () => Promise<void>, ms = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([stop(), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

async function main(): Promise<void> {
  const load0 = (await import('node:os')).loadavg();
  const baseline = await baselineDatabase();
  const url = await freshDatabase('omega_bench_sending_ingest');
  const setup = new pg.Pool({ connectionString: url, max: 2 });
  for (const [id, number] of [
    ['bench_http', '+15005550006'],
    ['bench_bulk', '+15005550008'],
  ] as const) {
    await setup.query(`INSERT INTO businesses (id, name, updated_at) VALUES ($1, $1, now())`, [id]);
    await setup.query(`INSERT INTO locations (business_id, name, sms_phone_number, time_zone, updated_at) VALUES ($1, 'Main', $2, 'America/New_York', now())`, [id, number]);
  }
  await setup.end();

  const gateway = await startGateway(url, { OMEGA_SERVICE_API_KEY: SERVICE_KEY, TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '' });
  const { port } = gateway;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const pool = new pg.Pool({ connectionString: baseline.url, max: CONCURRENCY, statement_timeout: REQUEST_TIMEOUT_MS, connectionTimeoutMillis: 10_000 });
  const base: Round[] = [];
  const single: Round[] = [];
  const bulk: Round[] = [];
  try {
    // Warm-up: JIT, plan caches, connections.
    await load(() => singleSend(agent, port));
    await load(() => baselineSend(pool, baseline.conversations));
    await load(() => bulkSend(agent, port), BULK_CONCURRENCY);
    for (let i = 0; i < ROUNDS; i++) {
      base.push(await load(() => baselineSend(pool, baseline.conversations)));
      single.push(await load(() => singleSend(agent, port)));
      bulk.push(await load(() => bulkSend(agent, port), BULK_CONCURRENCY));
      console.log(
        `round ${i + 1}: baseline ${fmt(base[i]!.perSecond)}/s p95 ${fmt(base[i]!.p95)} ms | POST /sms/send x1 ${fmt(single[i]!.perSecond)}/s p95 ${fmt(single[i]!.p95)} ms (errors ${single[i]!.errors}) | x${BULK_RECIPIENTS} ${fmt(bulk[i]!.messagesPerSecond)} messages/s, request p50 ${fmt(bulk[i]!.p50)} ms (errors ${bulk[i]!.errors})`,
      );
    }
  } finally {
    agent.destroy();
    await pool.end();
    await stopWithin(gateway.stop);
  }
  const baseRate = median(base.map((r) => r.perSecond));
  const singleRate = median(single.map((r) => r.perSecond));
  const bulkRate = median(bulk.map((r) => r.messagesPerSecond));
  const load1 = (await import('node:os')).loadavg();
  console.log(
    `\ningest, ${ROUNDS} rounds of ${SECONDS} s on ${new URL(BENCH_SERVER).host} (medians); load average ${load0.map((l) => l.toFixed(2)).join(' ')} at start, ${load1.map((l) => l.toFixed(2)).join(' ')} at end:`,
  );
  console.log(`  baseline: one statement per message (insert, summary, event; no job) on the schema of ${BASELINE_SCHEMA}, ${CONCURRENCY} connections`);
  console.log(`                          ${fmt(baseRate)} messages/s   p50 ${fmt(median(base.map((r) => r.p50)))} ms   p95 ${fmt(median(base.map((r) => r.p95)))} ms`);
  console.log(
    `  POST /sms/send, 1 recipient, ${CONCURRENCY} clients   ${fmt(singleRate)} sends/s   p50 ${fmt(median(single.map((r) => r.p50)))} ms   p95 ${fmt(median(single.map((r) => r.p95)))} ms   errors ${single.reduce((s, r) => s + r.errors, 0)}`,
  );
  console.log(`  ratio ${fmt(singleRate / baseRate, 2)}x of the baseline (target >= 0.8x)`);
  console.log(
    `  POST /sms/send, ${BULK_RECIPIENTS} recipients, ${BULK_CONCURRENCY} at a time   ${fmt(bulkRate)} messages/s accepted (target >= 5,000/s)   request p50 ${fmt(median(bulk.map((r) => r.p50)))} ms   p95 ${fmt(median(bulk.map((r) => r.p95)))} ms   errors ${bulk.reduce((s, r) => s + r.errors, 0)}`,
  );
  console.log(`  ratio ${fmt(bulkRate / baseRate, 2)}x of the baseline's messages/s`);
}

await main();
