// Webhooks: Twilio SMS status callbacks handled per second over real HTTP on loopback (the server in
// its own process, as `npm start` runs it: signature check, forward-only status machine, event,
// inbox event), against raw SQL updates of equivalent rows from this process in the same run, with
// the same concurrency. Each round moves fresh `sent` messages to `delivered`; rounds alternate.
// Baselines: (1) a bare UPDATE of the message (the brief's "raw SQL update"); (2) the same writes the
// webhook makes (update + message event + inbox event), as one
// raw statement. Medians are printed with the ratios (target >= 0.6x against the bare UPDATE).
// Usage: npm run bench -- webhooks [rounds=5] [callbacks per round=3000] [businesses=8]
import http from 'node:http';
import pg from 'pg';
import twilio from 'twilio';
import { BENCH_SERVER, fmt, freshDatabase, median, percentile, startGateway } from './_support.js';

const ROUNDS = Number(process.argv[3] ?? 5);
const PER_ROUND = Number(process.argv[4] ?? 3000);
const CONCURRENCY = 32;
const BUSINESSES = Number(process.argv[5] ?? 8); // callbacks spread over several businesses, as in production
const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
const AUTH_TOKEN = 'bench-auth-token';

interface Round {
  perSecond: number;
  p50: number;
  p95: number;
  errors: number;
}

interface Row {
  id: string;
  sid: string;
  business_id: string;
}

/** Businesses with a location, clients and conversations, and `count` outbound SMS in `sent` per set. */
async function seed(pool: pg.Pool, sets: string[], count: number): Promise<Map<string, Row[]>> {
  for (let b = 0; b < BUSINESSES; b++) {
    const id = `bench_${b}`;
    await pool.query(`INSERT INTO businesses (id, name, updated_at) VALUES ($1, $1, now())`, [id]);
    await pool.query(`INSERT INTO locations (business_id, name, sms_phone_number, updated_at) VALUES ($1, 'Main', $2, now())`, [id, `+1500555${String(1000 + b)}`]);
    await pool.query(
      `WITH c AS (INSERT INTO clients (business_id, phones, updated_at) SELECT $1, ARRAY['+1415' || lpad((5000000 + $2::int * 1000 + g)::text, 7, '0')], now() FROM generate_series(1, 50) g RETURNING id)
       INSERT INTO conversations (business_id, client_id, location_id) SELECT $1, c.id, (SELECT id FROM locations WHERE business_id = $1) FROM c`,
      [id, b],
    );
  }
  const out = new Map<string, Row[]>();
  for (const set of sets) {
    const { rows } = await pool.query<Row>(
      `WITH conv AS (SELECT id, business_id, client_id, location_id, row_number() OVER (ORDER BY id) - 1 AS n FROM conversations),
            total AS (SELECT count(*) AS n FROM conv)
       INSERT INTO messages (business_id, conversation_id, client_id, location_id, channel, direction, status, body, from_address, to_address, provider, provider_message_id, sent_at, attempts, updated_at)
       SELECT conv.business_id, conv.id, conv.client_id, conv.location_id, 'sms', 'outbound', 'sent', 'Reminder: tomorrow at 10am', '+15005550006', '+14155550100', 'twilio',
              'SM' || md5($1 || g::text), now(), 1, now()
         FROM generate_series(1, $2::int) g JOIN total ON true JOIN conv ON conv.n = g % total.n
       RETURNING id::text, provider_message_id AS sid, business_id`,
      [set, count],
    );
    out.set(set, rows);
  }
  await pool.query('ANALYZE');
  return out;
}

/** Runs every item from CONCURRENCY loops; throughput and latency percentiles. */
async function load<T>(items: T[], op: (item: T) => Promise<boolean>): Promise<Round> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < items.length; i = next++) {
        const t0 = performance.now();
        const ok = await op(items[i]!).catch(() => false);
        if (ok) latencies.push(performance.now() - t0);
        else errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p95: percentile(latencies, 95), errors };
}

interface Signed {
  path: string;
  body: string;
  signature: string;
}

/**
 * Twilio's status callback for a row, to the URL the send worker gives Twilio (message and business
 * ids), signed the way Twilio signs it (prepared before the clock starts).
 */
function signed(port: number, row: Row): Signed {
  const path = `/twilio/sms/status?message_id=${row.id}&business_id=${encodeURIComponent(row.business_id)}`;
  const params = {
    SmsSid: row.sid,
    SmsStatus: 'delivered',
    MessageStatus: 'delivered',
    To: '+14155550100',
    MessageSid: row.sid,
    AccountSid: ACCOUNT_SID,
    From: '+15005550006',
    ApiVersion: '2010-04-01',
  };
  return { path, body: new URLSearchParams(params).toString(), signature: twilio.getExpectedTwilioSignature(AUTH_TOKEN, `http://127.0.0.1:${port}${path}`, params) };
}

function httpCallback(agent: http.Agent, port: number, s: Signed): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: s.path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(s.body), 'x-twilio-signature': s.signature },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      },
    );
    req.on('error', () => resolve(false));
    req.end(s.body);
  });
}

/** Baseline 1: the bare raw SQL update of the row (forward-only guard included). */
async function rawUpdate(pool: pg.Pool, row: Row): Promise<boolean> {
  const r = await pool.query(
    `UPDATE messages SET status = 'delivered', delivered_at = now(), updated_at = now()
      WHERE provider = 'twilio' AND provider_message_id = $1 AND status = ANY('{scheduled,queued,sending,sent}'::message_status[])`,
    [row.sid],
  );
  return r.rowCount === 1;
}

/** Baseline 2: the webhook's writes as one raw statement: update, message event, inbox event. */
async function rawSameWrites(pool: pg.Pool, row: Row): Promise<boolean> {
  const r = await pool.query(
    `WITH upd AS (
       UPDATE messages SET status = 'delivered', delivered_at = now(), updated_at = now()
        WHERE id = $1::uuid AND status = ANY('{scheduled,queued,sending,sent}'::message_status[])
       RETURNING id, business_id, conversation_id
     ), ev AS (
       INSERT INTO message_events (business_id, message_id, type, status, provider, provider_event_id, payload, occurred_at)
       SELECT business_id, id, 'status', 'delivered', 'twilio', $2, '{"source":"webhook"}', now() FROM upd
       ON CONFLICT (provider, provider_event_id) DO NOTHING RETURNING id
     )
     INSERT INTO inbox_events (business_id, type, conversation_id, message_id, payload)
     SELECT business_id, 'message.status_changed', conversation_id, id, '{"status":"delivered","previousStatus":"sent","channel":"sms"}' FROM upd
     RETURNING id`,
    [row.id, `${row.sid}:delivered`],
  );
  return r.rowCount === 1;
}

async function main(): Promise<void> {
  const url = await freshDatabase('omega_bench_webhooks');
  const setup = new pg.Pool({ connectionString: url, max: 2 });
  const sets = ['warm_http', 'warm_bare', 'warm_same', ...Array.from({ length: ROUNDS }, (_, i) => [`http_${i}`, `bare_${i}`, `same_${i}`]).flat()];
  const rows = await seed(setup, sets, PER_ROUND);
  await setup.end();

  const gateway = await startGateway(url, { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN });
  const { port } = gateway;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY });
  const api: Round[] = [];
  const bare: Round[] = [];
  const same: Round[] = [];
  const verify = async (set: string) => {
    const ids = rows.get(set)!.map((r) => r.id);
    const {
      rows: [c],
    } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE id = ANY($1::uuid[]) AND status = 'delivered'`, [ids]);
    if (c!.n !== ids.length) throw new Error(`${set}: ${c!.n} of ${ids.length} messages delivered`);
  };
  try {
    // Warm-up: JIT, plan caches, connections.
    await load(
      rows.get('warm_http')!.map((r) => signed(port, r)),
      (s) => httpCallback(agent, port, s),
    );
    await load(rows.get('warm_bare')!, (r) => rawUpdate(pool, r));
    await load(rows.get('warm_same')!, (r) => rawSameWrites(pool, r));
    for (let i = 0; i < ROUNDS; i++) {
      bare.push(await load(rows.get(`bare_${i}`)!, (r) => rawUpdate(pool, r)));
      const prepared = rows.get(`http_${i}`)!.map((r) => signed(port, r));
      api.push(await load(prepared, (s) => httpCallback(agent, port, s)));
      same.push(await load(rows.get(`same_${i}`)!, (r) => rawSameWrites(pool, r)));
      await verify(`http_${i}`);
      console.log(
        `round ${i + 1}: raw UPDATE ${fmt(bare[i]!.perSecond)}/s | raw same writes ${fmt(same[i]!.perSecond)}/s | POST /twilio/sms/status ${fmt(api[i]!.perSecond)}/s p95 ${fmt(api[i]!.p95)} ms (errors ${api[i]!.errors})`,
      );
    }
  } finally {
    agent.destroy();
    await pool.end();
    await gateway.stop();
  }
  const apiRate = median(api.map((r) => r.perSecond));
  const bareRate = median(bare.map((r) => r.perSecond));
  const sameRate = median(same.map((r) => r.perSecond));
  const line = (name: string, rs: Round[], rate: number) =>
    `  ${name.padEnd(34)} ${fmt(rate).padStart(8)} callbacks/s   p50 ${fmt(median(rs.map((r) => r.p50)), 2)} ms   p95 ${fmt(median(rs.map((r) => r.p95)), 2)} ms`;
  console.log(`\nwebhooks: SMS status callbacks, ${CONCURRENCY} concurrent, ${ROUNDS} rounds of ${PER_ROUND} over ${BUSINESSES} businesses on ${new URL(BENCH_SERVER).host} (medians):`);
  console.log(line('raw SQL UPDATE of the row', bare, bareRate));
  console.log(line('raw SQL, the same writes', same, sameRate));
  console.log(`${line('POST /twilio/sms/status (HTTP)', api, apiRate)}   errors ${api.reduce((s, r) => s + r.errors, 0)}`);
  console.log(`  ratio ${fmt(apiRate / bareRate, 2)}x against the raw UPDATE (target >= 0.6x); ${fmt(apiRate / sameRate, 2)}x against the same writes in raw SQL`);
}

await main();
