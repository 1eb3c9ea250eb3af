// Live inbox latency across processes: messages appended through appendMessage (one transaction
// each, as every message path does) in this process at 200 per second, and the time until each
// message.created event reaches a graphql-ws client connected to ANOTHER gateway process
// (node --import tsx src/main.ts on the bench database), i.e. through the inbox_events log,
// NOTIFY, that process's listener, its log read and graphql-ws. Target: p95 < 30 ms.
// The appended messages are removed afterwards and the touched conversations restored.
// Usage: npm run bench -- live [--runs 3] [--seconds 20] [--rate 200]
import { spawn, type ChildProcess } from 'node:child_process';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import pg from 'pg';
import { createDeps } from '../src/createDeps.js';
import { createPool } from '../src/db/pool.js';
import { createApiKey } from '../src/domain/auth/createApiKey.js';
import { appendMessage } from '../src/domain/messages/appendMessage.js';
import { BENCH_URL, LARGE_BUSINESS, freePort, machine, median, ms, numberOption, percentiles, quietLog } from './_lib.js';
import { INBOUND_SMS, OUTBOUND_SMS } from './_vocabulary.js';
import { ensureInboxDataset } from './seed-inbox.js';
import { runTransaction } from '../src/db/transaction.js';

const runs = numberOption('--runs', 3);
const seconds = numberOption('--seconds', 20);
const rate = numberOption('--rate', 200);
const CONVERSATIONS = 200;
const root = new URL('..', import.meta.url).pathname;

const SUBSCRIPTION = 'subscription ($b: String!) { inboxEvents(businessId: $b) { cursor type messageId } }';

async function startGateway(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: BENCH_URL,
      PORT: String(port),
      HOST: '127.0.0.1',
      OMEGA_SEED_DEMO: 'false',
      OMEGA_WORKER_IN_PROCESS: 'false',
      LOG_LEVEL: 'warn',
      OMEGA_RATE_LIMIT_PER_MINUTE: '1000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the gateway process exited with code ${child.exitCode} before answering /health`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGTERM');
  throw new Error('the gateway process did not answer /health within 60 s');
}

const info = await ensureInboxDataset();
console.log(`live on ${machine()}; data set ${info.dataset}; ${rate} messages/s for ${seconds} s, ${runs} runs`);
const pool = createPool(BENCH_URL, 40, () => undefined); // OMEGA_PG_POOL_MAX's default
const deps = await createDeps({ url: BENCH_URL, pool }, quietLog);
const port = await freePort();
const gateway = await startGateway(port);
let client: Client | null = null;
const appended: string[] = [];
try {
  // Conversations that receive the traffic; their rows are restored at the end (and after a crash, at the next run).
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_live_snapshot AS SELECT * FROM conversations WITH NO DATA`);
  await restore();
  const { rows: targets } = await pool.query<{ id: string; client_id: string; location_id: string }>(
    `SELECT id::text, client_id::text, location_id::text FROM conversations WHERE business_id = $1 AND status = 'open' ORDER BY md5(id::text) LIMIT $2`,
    [LARGE_BUSINESS, CONVERSATIONS],
  );
  await pool.query(`INSERT INTO bench_live_snapshot SELECT * FROM conversations WHERE id = ANY($1::uuid[])`, [targets.map((t) => t.id)]);

  const { key } = await createApiKey(deps, { name: 'bench live', businessId: LARGE_BUSINESS });
  const arrivals = new Map<string, number>();
  client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, connectionParams: { 'X-API-KEY': key }, retryAttempts: 0, lazy: false });
  let subscribed!: () => void;
  const ready = new Promise<void>((r) => (subscribed = r));
  client.subscribe<{ inboxEvents: { cursor: string; type: string; messageId: string | null } }>(
    { query: SUBSCRIPTION, variables: { b: LARGE_BUSINESS } },
    {
      next: (msg) => {
        const e = msg.data?.inboxEvents;
        if (e?.type === 'message.created' && e.messageId) arrivals.set(e.messageId, performance.now());
        subscribed();
      },
      error: (err) => console.error('subscription error', err),
      complete: () => undefined,
    },
  );

  let seq = 0;
  /** One message, in its own transaction; resolves with [message id, start, commit] times, or null if it failed. */
  const appendOne = async (): Promise<[string, number, number] | null> => {
    const i = seq++;
    const t = targets[i % targets.length]!;
    const inbound = i % 2 === 0;
    const started = performance.now();
    const message = await runTransaction(
      deps,
      (tx) =>
        appendMessage(tx, {
          businessId: LARGE_BUSINESS,
          conversationId: t.id,
          clientId: t.client_id,
          locationId: t.location_id,
          channel: 'sms',
          direction: inbound ? 'inbound' : 'outbound',
          status: inbound ? 'received' : 'sent',
          provider: 'sandbox',
          body: (inbound ? INBOUND_SMS : OUTBOUND_SMS)[i % 20]!.replace(/\{\w+\}/g, 'Friday'),
          metadata: { benchLive: true },
        }),
      { timeout: 30_000, maxWait: 10_000 }, // as receiveInboundSms
    );
    appended.push(message.id);
    return [message.id, started, performance.now()];
  };
  let failures = 0;
  const appendCounted = () =>
    appendOne().catch((err: unknown) => {
      if (failures++ === 0) console.error(`append failed: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    });

  /** `count` appends at `rate` per second (each starts on schedule, whether or not the previous one finished). */
  const drive = async (count: number) => {
    const t0 = performance.now();
    const pending: Promise<[string, number, number] | null>[] = [];
    for (let i = 0; i < count; i++) {
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      pending.push(appendCounted());
    }
    const done = (await Promise.all(pending)).filter((d) => d !== null);
    return { done, achieved: count / ((performance.now() - t0) / 1000) };
  };

  // Warm-up: the subscription is live once the first event comes back; then 2 s of traffic, not counted.
  const deadline = Date.now() + 10_000;
  while (!(await Promise.race([ready.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 200))]))) {
    if (Date.now() > deadline) throw new Error('the subscription received nothing within 10 s');
    await appendOne();
  }
  await drive(rate * 2);

  const perRun: { p50: number; p95: number; p99: number; commitP95: number; insertP95: number }[] = [];
  for (let r = 1; r <= runs; r++) {
    failures = 0;
    const before = await serverState();
    const sampler = sampleWaits();
    const { done, achieved } = await drive(rate * seconds);
    const waits = await sampler.stop();
    const after = await serverState();
    await new Promise((res) => setTimeout(res, 2_000)); // stragglers
    const latencies: number[] = [];
    const afterCommit: number[] = [];
    const insert: number[] = [];
    let missing = 0;
    for (const [id, started, committed] of done) {
      const at = arrivals.get(id);
      insert.push(committed - started);
      if (at === undefined) missing++;
      else {
        latencies.push(at - started);
        afterCommit.push(at - committed);
      }
    }
    const l = percentiles(latencies);
    const c = percentiles(afterCommit);
    const ins = percentiles(insert);
    perRun.push({ p50: l.p50, p95: l.p95, p99: l.p99, commitP95: c.p95, insertP95: ins.p95 });
    console.log(
      `run ${r}: ${done.length} messages at ${achieved.toFixed(0)}/s, ${failures} appends failed, ${missing} events missing; insert start -> event p50 ${ms(l.p50)} p95 ${ms(l.p95)} p99 ${ms(l.p99)} max ${ms(Math.max(...latencies))} ms (commit -> event p50 ${ms(c.p50)} p95 ${ms(c.p95)}; append transaction p50 ${ms(ins.p50)} p95 ${ms(ins.p95)} max ${ms(Math.max(...insert))})`,
    );
    const { rows: wal } = await pool.query<{ bytes: string }>('SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::bigint AS bytes', [after.walLsn, before.walLsn]);
    console.log(
      `  during the run: ${describeState(before, after)}; WAL ${(Number(wal[0]!.bytes) / 2 ** 20).toFixed(1)} MiB (whole server), ${(Number(wal[0]!.bytes) / Math.max(1, done.length) / 1024).toFixed(1)} KiB per message; ${machine()}`,
    );
    console.log(`  wait events of this database's active backends (${waits.samples} samples every 20 ms, backend-samples): ${waits.summary}`);
  }
  const m = (k: keyof (typeof perRun)[number]) => ms(median(perRun.map((x) => x[k])));
  console.log(
    `\nmedian over ${runs} runs: insert -> event at the other process's graphql-ws client p50 ${m('p50')} p95 ${m('p95')} p99 ${m('p99')} ms (target p95 < 30 ms: ${median(perRun.map((x) => x.p95)) < 30 ? 'met' : 'NOT met'}); commit -> event p95 ${m('commitP95')}; append transaction p95 ${m('insertP95')}`,
  );
  console.log(`finished on ${machine()}`);
} finally {
  await client?.dispose();
  // Bounded: SIGKILL if the gateway has not exited 10 s after SIGTERM.
  const exited = new Promise((r) => gateway.once('exit', r));
  gateway.kill('SIGTERM');
  const killer = setTimeout(() => gateway.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
  await restore();
  await deps.close();
  await pool.end();
}

interface ServerState {
  checkpointsTimed: number;
  checkpointsRequested: number;
  buffersCheckpoint: number;
  buffersBackend: number;
  autovacuums: Record<string, number>;
  autoanalyzes: Record<string, number>;
  walLsn: string;
}

/** Checkpoints (pg_stat_bgwriter) and autovacuum/autoanalyze counts of the tables the append writes. */
async function serverState(): Promise<ServerState> {
  const { rows: bg } = await pool.query<{ t: string; r: string; b: string; be: string; lsn: string }>(
    'SELECT checkpoints_timed AS t, checkpoints_req AS r, buffers_checkpoint AS b, buffers_backend AS be, pg_current_wal_lsn()::text AS lsn FROM pg_stat_bgwriter',
  );
  const { rows } = await pool.query<{ relname: string; v: string; a: string }>(
    `SELECT relname, autovacuum_count AS v, autoanalyze_count AS a FROM pg_stat_user_tables
      WHERE relname IN ('messages', 'conversations', 'inbox_events', 'conversation_reads', 'report_conversation_days', 'report_replies', 'report_openings')`,
  );
  return {
    checkpointsTimed: Number(bg[0]!.t),
    checkpointsRequested: Number(bg[0]!.r),
    buffersCheckpoint: Number(bg[0]!.b),
    buffersBackend: Number(bg[0]!.be),
    autovacuums: Object.fromEntries(rows.map((x) => [x.relname, Number(x.v)])),
    autoanalyzes: Object.fromEntries(rows.map((x) => [x.relname, Number(x.a)])),
    walLsn: bg[0]!.lsn,
  };
}

function describeState(a: ServerState, b: ServerState): string {
  const tables = (k: 'autovacuums' | 'autoanalyzes') =>
    Object.keys(b[k])
      .filter((t) => b[k][t]! > (a[k][t] ?? 0))
      .join(', ') || 'none';
  return (
    `checkpoints ${b.checkpointsTimed - a.checkpointsTimed} timed + ${b.checkpointsRequested - a.checkpointsRequested} requested ` +
    `(${b.buffersCheckpoint - a.buffersCheckpoint} buffers written by checkpoints, ${b.buffersBackend - a.buffersBackend} by backends); ` +
    `autovacuum finished on: ${tables('autovacuums')}; autoanalyze on: ${tables('autoanalyzes')}`
  );
}

/** Samples pg_stat_activity every 20 ms (autovacuum workers included) until stop(): wait events counted per backend-sample. */
function sampleWaits(): { stop(): Promise<{ samples: number; summary: string }> } {
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  // A connection of its own: the pool may be saturated by the appends.
  const sampler = new pg.Client({ connectionString: BENCH_URL });
  const loop = (async () => {
    await sampler.connect();
    while (running) {
      const { rows } = await sampler.query<{ w: string }>(
        `SELECT CASE WHEN backend_type = 'autovacuum worker' THEN 'autovacuum:' ELSE '' END || coalesce(wait_event_type || ':' || wait_event, 'CPU') AS w
           FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND (state = 'active' OR backend_type = 'autovacuum worker')
            AND coalesce(wait_event, '') NOT IN ('ClientRead')`,
      );
      samples++;
      for (const r of rows) counts.set(r.w, (counts.get(r.w) ?? 0) + 1);
      await new Promise((res) => setTimeout(res, 20));
    }
    await sampler.end();
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const summary = [...counts.entries()]
        .sort((x, y) => y[1] - x[1])
        .slice(0, 10)
        .map(([w, n]) => `${w} ${n}`)
        .join(', ');
      return { samples, summary: summary || 'none' };
    },
  };
}

/** Puts the snapshot conversations back as they were and removes this benchmark's messages and events. */
async function restore(): Promise<void> {
  const c = await pool.connect();
  try {
    const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_live_snapshot');
    if (rows[0]!.n === 0 && appended.length === 0) return;
    await c.query('BEGIN');
    await c.query(`UPDATE conversations c SET status = s.status, snoozed_until = s.snoozed_until, last_message_at = s.last_message_at,
        last_message_preview = s.last_message_preview, last_message_channel = s.last_message_channel, last_message_direction = s.last_message_direction,
        last_message_id = s.last_message_id, last_activity_at = s.last_activity_at, last_inbound_at = s.last_inbound_at,
        last_outbound_at = s.last_outbound_at, unread_count = s.unread_count, updated_at = s.updated_at
      FROM bench_live_snapshot s WHERE c.id = s.id`);
    const ids = appended.length ? appended : (await c.query<{ id: string }>(`SELECT id::text FROM messages WHERE metadata @> '{"benchLive": true}'`)).rows.map((r) => r.id);
    await c.query('DELETE FROM inbox_events WHERE message_id = ANY($1::uuid[])', [ids]);
    // conversations.last_message_id (ON DELETE SET NULL) has no index: each deleted message's check
    // scanned all 105,000 conversations, and the removal of one run's 12,000 messages took many
    // minutes. An index for this transaction only (created and dropped in it) makes it take seconds.
    await c.query('CREATE INDEX bench_live_last_message ON conversations (last_message_id)');
    await c.query('DELETE FROM messages WHERE id = ANY($1::uuid[])', [ids]);
    await c.query('DROP INDEX bench_live_last_message');
    await c.query('TRUNCATE bench_live_snapshot');
    await c.query('COMMIT');
    appended.length = 0;
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  } finally {
    c.release();
  }
}
