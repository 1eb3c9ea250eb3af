// Ingest: POST /sms/send throughput and p95 latency with 32 concurrent clients over real HTTP on
// loopback (the server in its own process, as `npm start` runs it, worker off so nothing drains),
// against the same transaction written in raw SQL from this process (32 connections) in the same
// run. Rounds alternate raw / HTTP; medians are printed with the ratio (target >= 0.6x).
// Usage: npm run bench -- ingest [rounds=3] [seconds=6]
import http from 'node:http';
import pg from 'pg';
import { BENCH_SERVER, fmt, freshDatabase, median, percentile, startGateway } from './_support.js';

const ROUNDS = Number(process.argv[3] ?? 3);
const SECONDS = Number(process.argv[4] ?? 6);
const CONCURRENCY = 32;
const PHONES = 5_000; // recipients drawn from this many numbers: first contacts and repeat clients
const SERVICE_KEY = 'bench-service-key-0123456789abcdef';

interface Round {
  perSecond: number;
  p50: number;
  p95: number;
  errors: number;
}

const phone = (i: number) => `+1415${String(5_000_000 + (i % PHONES)).padStart(7, '0')}`;
let sequence = 0;

/** Runs `op` from CONCURRENCY loops for SECONDS; returns throughput and latency percentiles. */
async function load(op: () => Promise<boolean>): Promise<Round> {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const ok = await op().catch(() => false);
        if (ok) latencies.push(performance.now() - t0);
        else errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p95: percentile(latencies, 95), errors };
}

function httpSend(agent: http.Agent, port: number, businessId: string): Promise<boolean> {
  const n = sequence++;
  const body = JSON.stringify({ business_id: businessId, to: phone(n * 7919), body: `Reminder #${n}: your appointment is tomorrow at 3pm.`, request_id: `bench-${n}` });
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/sms/send', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-api-key': SERVICE_KEY } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 202));
      },
    );
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

/**
 * The same work as queueSms for one recipient, statement for statement and in its order, in one
 * transaction: request lock with the business, its locations and a drawn id; idempotency lookup;
 * the contact's lock; client read, and insert when new; conversation upsert (one statement);
 * add_job; the message with the conversation's summary and the inbox event (one statement).
 */
async function rawSend(pool: pg.Pool, businessId: string): Promise<boolean> {
  const n = sequence++;
  const to = phone(n * 7919);
  const requestId = `raw-${n}`;
  const text = `Reminder #${n}: your appointment is tomorrow at 3pm.`;
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const {
      ids: [id],
    } = (
      await c.query(
        `SELECT pg_advisory_xact_lock(hashtext($2::text))::text AS locked, b.time_zone, b.settings,
              (SELECT json_agg(json_build_object('id', l.id, 'name', l.name, 'externalId', l.external_id, 'timeZone', l.time_zone,
                        'smsPhoneNumber', l.sms_phone_number, 'messagingServiceSid', l.messaging_service_sid,
                        'emailFrom', l.email_from, 'emailFromName', l.email_from_name)) FROM locations l WHERE l.business_id = b.id) AS locations,
              (SELECT array_agg(omega_uuid_v7()::text) FROM generate_series(1, 1)) AS ids
         FROM businesses b WHERE b.id = $1`,
        [businessId, `omega_send:${businessId}:${requestId}`],
      )
    ).rows[0];
    await c.query('SELECT id FROM messages WHERE business_id = $1 AND idempotency_key = ANY($2::text[])', [businessId, [`sms:${requestId}:${to}`]]);
    await c.query(`SELECT pg_advisory_xact_lock(hashtext($1::text))`, [`omega_client:${businessId}:phone:${to}`]);
    let client = (await c.query('SELECT id, sms_opt_out, home_location_id FROM clients WHERE business_id = $1 AND phones && ARRAY[$2::text] ORDER BY created_at, id', [businessId, to])).rows[0];
    if (!client)
      client = (
        await c.query('INSERT INTO clients (business_id, phones, created_at, updated_at) VALUES ($1, ARRAY[$2::text], now(), now()) RETURNING id, sms_opt_out, home_location_id', [businessId, to])
      ).rows[0];
    const conversation = (
      await c.query(
        `WITH loc AS (
         SELECT l.id FROM locations l LEFT JOIN clients c ON c.id = $2::uuid AND c.business_id = $1 JOIN businesses b ON b.id = $1
          WHERE l.business_id = $1 ORDER BY (l.id = c.home_location_id) DESC NULLS LAST, (l.id::text = b.settings->>'defaultLocationId') DESC NULLS LAST, l.created_at, l.id LIMIT 1
       ), ins AS (
         INSERT INTO conversations (business_id, client_id, location_id) SELECT $1, $2::uuid, loc.id FROM loc
         ON CONFLICT (business_id, client_id, location_id) DO NOTHING RETURNING *
       )
       SELECT * FROM ins UNION ALL SELECT c.* FROM conversations c JOIN loc ON c.location_id = loc.id WHERE c.business_id = $1 AND c.client_id = $2::uuid`,
        [businessId, client.id],
      )
    ).rows[0];
    await c.query(`SELECT graphile_worker.add_job('send_sms', json_build_object('messageId', $1::text), job_key => 'send_sms:' || $1::text, max_attempts => 10)`, [id]);
    await c.query(
      `WITH m AS (
         INSERT INTO messages (id, business_id, conversation_id, client_id, location_id, channel, direction, status, body, from_address, to_address, request_id, idempotency_key, media, metadata, created_at, updated_at)
         VALUES ($8::uuid, $1, $2::uuid, $3::uuid, $4::uuid, 'sms', 'outbound', 'queued', $5, '+15005550006', $6, $7, 'sms:' || $7 || ':' || $6, '[]', '{}', now(), now()) RETURNING *
       ), conv AS (
         UPDATE conversations c SET last_message_at = m.created_at, last_message_preview = m.body, last_message_channel = 'sms', last_message_direction = 'outbound',
                last_message_id = m.id, last_activity_at = greatest(c.last_activity_at, m.created_at), last_outbound_at = greatest(c.last_outbound_at, m.created_at), updated_at = now()
           FROM m, (SELECT status FROM conversations WHERE id = $2::uuid FOR UPDATE) AS before
          WHERE c.id = $2::uuid RETURNING c.status
       )
       INSERT INTO inbox_events (business_id, type, conversation_id, message_id, payload)
       SELECT m.business_id, 'message.created', m.conversation_id, m.id, jsonb_build_object('channel', 'sms', 'direction', 'outbound', 'status', 'queued', 'conversationStatus', conv.status)
         FROM m LEFT JOIN conv ON true`,
      [businessId, conversation.id, client.id, conversation.location_id, text, to, requestId, id],
    );
    await c.query('COMMIT');
    return true;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

async function main(): Promise<void> {
  const url = await freshDatabase('omega_bench_sending_ingest');
  const setup = new pg.Pool({ connectionString: url, max: 2 });
  for (const id of ['bench_http', 'bench_raw']) {
    await setup.query(`INSERT INTO businesses (id, name, updated_at) VALUES ($1, $1, now())`, [id]);
    await setup.query(`INSERT INTO locations (business_id, name, sms_phone_number, time_zone, updated_at) VALUES ($1, 'Main', $2, 'America/New_York', now())`, [
      id,
      id === 'bench_http' ? '+15005550006' : '+15005550007',
    ]);
  }
  await setup.end();

  const gateway = await startGateway(url, { OMEGA_SERVICE_API_KEY: SERVICE_KEY, TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '' });
  const { port } = gateway;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY });
  const raw: Round[] = [];
  const api: Round[] = [];
  try {
    // Warm-up: JIT, plan caches, connections.
    await load(() => httpSend(agent, port, 'bench_http'));
    await load(() => rawSend(pool, 'bench_raw'));
    for (let i = 0; i < ROUNDS; i++) {
      raw.push(await load(() => rawSend(pool, 'bench_raw')));
      api.push(await load(() => httpSend(agent, port, 'bench_http')));
      console.log(`round ${i + 1}: raw SQL ${fmt(raw[i]!.perSecond)}/s p95 ${fmt(raw[i]!.p95)} ms | POST /sms/send ${fmt(api[i]!.perSecond)}/s p95 ${fmt(api[i]!.p95)} ms (errors ${api[i]!.errors})`);
    }
  } finally {
    agent.destroy();
    await pool.end();
    await gateway.stop();
  }
  const rawRate = median(raw.map((r) => r.perSecond));
  const apiRate = median(api.map((r) => r.perSecond));
  console.log(`\ningest, ${CONCURRENCY} concurrent clients, ${ROUNDS} rounds of ${SECONDS} s on ${new URL(BENCH_SERVER).host} (medians):`);
  console.log(`  raw SQL transaction   ${fmt(rawRate)} sends/s   p50 ${fmt(median(raw.map((r) => r.p50)))} ms   p95 ${fmt(median(raw.map((r) => r.p95)))} ms`);
  console.log(
    `  POST /sms/send (HTTP) ${fmt(apiRate)} sends/s   p50 ${fmt(median(api.map((r) => r.p50)))} ms   p95 ${fmt(median(api.map((r) => r.p95)))} ms   errors ${api.reduce((s, r) => s + r.errors, 0)}`,
  );
  console.log(`  ratio ${fmt(apiRate / rawRate, 2)}x (target >= 0.6x)`);
}

await main();
