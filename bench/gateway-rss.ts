// Gateway memory under a long mixed load (issue 19: RSS under 200 MB after 10 minutes, and no
// growth over the last 5). One gateway process as deployed (the production build, node
// dist/main.js: run `npm run build` first; worker not in process, as a deployment's gateways run) on a fresh database with the demo business, and, for
// the whole run at once:
// - ingest: signed Twilio inbound SMS webhooks (X-Twilio-Signature), from 1,000 client numbers;
// - inbox pages: GraphQL `conversations` pages (50 rows with their last message) and a
//   conversation's newest 30 messages, as the inbox app asks;
// - 500 open graphql-ws subscriptions to inbox events;
// all spread over 50 businesses (--businesses; the demo business and 49 with a location each): 10
// staff of a business see its events. --businesses 1 puts all 500 on every event (a stress of the
// fan-out: 5,000 frames a second at the default rates).
// The gateway's RSS (VmRSS from /proc) is sampled every 5 s. Printed: RSS at the end, the peak, and
// the growth over the last 5 minutes (least-squares slope over that window, and the last minute's
// mean against the mean of the minute 5 minutes earlier), against the 200 MB budget.
// Usage: npm run bench -- gateway-rss [--minutes 10] [--ingest 10] [--pages 10] [--subscriptions 500]
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import twilio from 'twilio';
import WebSocket from 'ws';
import { createDeps } from '../src/createDeps.js';
import { createPool } from '../src/db/pool.js';
import { createApiKey } from '../src/domain/auth/createApiKey.js';
import { DEMO_BUSINESS_ID, seedDemoBusiness } from '../src/domain/businesses/seedDemoBusiness.js';
import { numberOption } from './_lib.js';
import { BENCH_SERVER, fmt, freshDatabase, startGateway } from './_support.js';

const minutes = numberOption('--minutes', 10);
const ingestPerSecond = numberOption('--ingest', 10);
const pagesPerSecond = numberOption('--pages', 10);
const subscriptionCount = numberOption('--subscriptions', 500);
/** Businesses the subscriptions, ingest and pages are spread over (the demo business and others): 1 puts every subscriber on every event. */
const businessCount = numberOption('--businesses', 50);
const BUDGET_MB = 200;
const SAMPLE_MS = 5_000;
const ACCOUNT_SID = `AC${'b'.repeat(32)}`;
const AUTH_TOKEN = 'gateway-rss-bench-token';
const METRICS_TOKEN = 'gateway-rss-bench-metrics-token';

/** The gateway's own view of its memory (its /metrics: V8 heap used and total, external), in MB. */
async function heapMb(base: string): Promise<string> {
  try {
    const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` }, signal: AbortSignal.timeout(5_000) })).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / 1048576;
    return `heap used ${fmt(value('omega_nodejs_heap_size_used_bytes'))} of ${fmt(value('omega_nodejs_heap_size_total_bytes'))} MB, external ${fmt(value('omega_nodejs_external_memory_bytes'))} MB`;
  } catch (err) {
    return `heap unknown (${err instanceof Error ? err.message : String(err)})`;
  }
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** Least-squares slope of (t minutes, MB) points, in MB per minute. */
function slope(points: { t: number; mb: number }[]): number {
  const n = points.length;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const mm = points.reduce((s, p) => s + p.mb, 0) / n;
  const num = points.reduce((s, p) => s + (p.t - mt) * (p.mb - mm), 0);
  const den = points.reduce((s, p) => s + (p.t - mt) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

/** Calls `op` `perSecond` times a second (open loop) until stopped; at most `maxInFlight` at once (beyond that, a tick is skipped and counted). */
function every(perSecond: number, maxInFlight: number, op: (i: number) => Promise<void>) {
  let i = 0;
  let inFlight = 0;
  let skipped = 0;
  let failed = 0;
  let lastError = '';
  const timer = setInterval(() => {
    if (inFlight >= maxInFlight) {
      skipped++;
      return;
    }
    inFlight++;
    op(i++)
      .catch((err: unknown) => {
        failed++;
        lastError = err instanceof Error ? err.message : String(err);
      })
      .finally(() => inFlight--);
  }, 1000 / perSecond);
  return {
    stop: () => clearInterval(timer),
    stats: () => ({ done: i, skipped, failed, lastError }),
  };
}

async function main(): Promise<void> {
  const database = `omega_bench_gateway_rss_${process.pid}`;
  const url = await freshDatabase(database);
  const pool = createPool(url, 4, () => undefined);
  const deps = await createDeps({ url, pool }, { warn: () => undefined });
  await seedDemoBusiness(deps);
  const demoTo = (await pool.query(`SELECT sms_phone_number FROM locations WHERE business_id = $1 AND sms_phone_number IS NOT NULL ORDER BY id LIMIT 1`, [DEMO_BUSINESS_ID])).rows[0]
    ?.sms_phone_number as string;
  if (!demoTo) throw new Error('the demo business has no SMS number');
  // The demo business and businessCount - 1 others, each with a location and its number, and a key.
  const tenants: { id: string; key: string; to: string; conversationId: string | null }[] = [];
  for (let b = 0; b < businessCount; b++) {
    const id = b === 0 ? DEMO_BUSINESS_ID : `rss_${b}`;
    const to = b === 0 ? demoTo : `+1500555${String(2000 + b)}`;
    if (b > 0) {
      await pool.query(`INSERT INTO businesses (id, name, updated_at) VALUES ($1, $1, now())`, [id]);
      await pool.query(`INSERT INTO locations (business_id, name, sms_phone_number, updated_at) VALUES ($1, 'Main', $2, now())`, [id, to]);
    }
    tenants.push({ id, key: (await createApiKey(deps, { name: 'gateway-rss bench', businessId: id })).key, to, conversationId: null });
  }
  const tenant = (i: number) => tenants[i % tenants.length]!;
  const gateway = await startGateway(
    url,
    {
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      // Nothing here calls Twilio's API (no worker in this process); a dead loopback port if anything did.
      OMEGA_TWILIO_API_BASE_URL: 'http://127.0.0.1:9',
      OMEGA_METRICS_TOKEN: METRICS_TOKEN,
    },
    { production: true },
  );
  const base = `http://127.0.0.1:${gateway.port}`;
  const clients: Client[] = [];
  let events = 0;
  let subscriptionErrors = 0;
  let subscriptionError = '';
  const loads: { name: string; load: ReturnType<typeof every> }[] = [];
  try {
    // Opened 50 at a time, each batch connected before the next: a burst of 500 handshakes would
    // measure the pool's queue, not a steady inbox.
    for (let i = 0; i < subscriptionCount; i += 50) {
      const batch = Array.from({ length: Math.min(50, subscriptionCount - i) }, (_, j) => {
        let connected!: () => void;
        const ready = new Promise<void>((resolve) => (connected = resolve));
        const client = createClient({
          url: `ws://127.0.0.1:${gateway.port}/graphql`,
          webSocketImpl: WebSocket,
          connectionParams: { 'X-API-KEY': tenant(i + j).key },
          lazy: false,
          retryAttempts: 0,
          on: { connected: () => connected() },
        });
        clients.push(client);
        client.subscribe(
          {
            query: 'subscription ($b: String!) { inboxEvents(businessId: $b) { cursor type messageId conversation { conversationId unreadCount lastMessageAt } } }',
            variables: { b: tenant(i + j).id },
          },
          {
            next: () => void events++,
            error: (err: unknown) => {
              subscriptionErrors++;
              subscriptionError = err instanceof Error ? err.message : (JSON.stringify(err) ?? String(err));
            },
            complete: () => undefined,
          },
        );
        return ready;
      });
      await Promise.race([Promise.all(batch), new Promise((_, reject) => setTimeout(() => reject(new Error(`subscriptions ${i}..${i + 49} did not connect within 30 s`)), 30_000).unref())]);
    }

    const post = async (path: string, body: string, headers: Record<string, string>) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      if (res.status >= 400) throw new Error(`${path} answered ${res.status}`);
    };
    const gql = (key: string, query: string, variables: Record<string, unknown>) => post('/graphql', JSON.stringify({ query, variables }), { 'content-type': 'application/json', 'x-api-key': key });
    loads.push({
      name: 'ingest',
      load: every(ingestPerSecond, 50, async (i) => {
        const sid = `SM${String(process.pid).padStart(8, '0')}${String(i).padStart(24, '0')}`;
        const params: Record<string, string> = {
          MessageSid: sid,
          SmsSid: sid,
          SmsMessageSid: sid,
          AccountSid: ACCOUNT_SID,
          From: `+1415${String(5_100_000 + (i % 1000)).padStart(7, '0')}`,
          To: tenant(i).to,
          Body: `Can I move my appointment to ${1 + (i % 12)}pm? (${i})`,
          NumMedia: '0',
          NumSegments: '1',
          SmsStatus: 'received',
          ApiVersion: '2010-04-01',
        };
        const target = `${base}/twilio/sms/incoming`;
        await post('/twilio/sms/incoming', new URLSearchParams(params).toString(), {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, target, params),
        });
      }),
    });
    loads.push({
      name: 'inbox pages',
      load: every(pagesPerSecond, 50, async (i) => {
        // Each business in turn: its first page, then (next time round) a conversation of it.
        const t = tenant(Math.floor(i / 2));
        if (i % 2 === 0 || t.conversationId === null) {
          const res = await fetch(`${base}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': t.key },
            body: JSON.stringify({
              query:
                'query ($b: String!) { conversations(businessId: $b, first: 50) { edges { node { conversationId unreadCount lastMessageAt client { clientId name } lastMessage { messageId body status } } } } }',
              variables: { b: t.id },
            }),
            signal: AbortSignal.timeout(10_000),
          });
          const json = (await res.json()) as { data?: { conversations: { edges: { node: { conversationId: string } }[] } }; errors?: unknown };
          if (!json.data) throw new Error(`conversations: ${JSON.stringify(json.errors)}`);
          const edges = json.data.conversations.edges;
          t.conversationId = edges[i % Math.max(1, edges.length)]?.node.conversationId ?? null;
        } else {
          await gql(t.key, 'query ($c: String!) { messages(conversationId: $c, first: 30) { edges { node { messageId body status createdAt } } } }', { c: t.conversationId });
        }
      }),
    });

    console.log(
      `gateway-rss: ${minutes} min; ingest ${ingestPerSecond}/s, inbox pages ${pagesPerSecond}/s, ${subscriptionCount} subscriptions over ${businessCount} businesses; gateway pid ${gateway.pid}, RSS ${fmt(rssMb(gateway.pid))} MB at the start`,
    );
    const samples: { t: number; mb: number }[] = [];
    const started = performance.now();
    const end = started + minutes * 60_000;
    let nextReport = 60_000;
    while (performance.now() < end) {
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
      const t = (performance.now() - started) / 60_000;
      samples.push({ t, mb: rssMb(gateway.pid) });
      if (performance.now() - started >= nextReport) {
        nextReport += 60_000;
        const stats = loads.map(({ name, load }) => `${name} ${load.stats().done} (${load.stats().failed} failed, ${load.stats().skipped} skipped)`).join(', ');
        console.log(
          `  ${fmt(t, 1)} min: RSS ${fmt(samples.at(-1)!.mb)} MB (${await heapMb(base)}); ${stats}; ${events} events to subscribers (${subscriptionErrors} subscriptions ended with an error${subscriptionError ? `, e.g. ${subscriptionError.slice(0, 200)}` : ''})`,
        );
      }
    }
    for (const { load } of loads) load.stop();
    const failures = loads.filter(({ load }) => load.stats().failed > load.stats().done / 100);
    if (failures.length)
      throw new Error(`too many failed requests: ${failures.map(({ name, load }) => `${name}: ${load.stats().failed} of ${load.stats().done}, e.g. ${load.stats().lastError}`).join('; ')}`);
    if (subscriptionErrors > 0) throw new Error(`${subscriptionErrors} subscriptions ended with an error, e.g. ${subscriptionError.slice(0, 300)}`);
    const last5 = samples.filter((s) => s.t >= minutes - 5);
    const lastMinute = samples.filter((s) => s.t >= minutes - 1).map((s) => s.mb);
    const fiveBefore = samples.filter((s) => s.t >= minutes - 5 && s.t < minutes - 4).map((s) => s.mb);
    const final = samples.at(-1)!.mb;
    const peak = Math.max(...samples.map((s) => s.mb));
    const perMinute = slope(last5);
    console.log(
      `\ngateway-rss after ${minutes} min (load average now ${loadavg()
        .map((l) => fmt(l, 2))
        .join(' ')}); ${events} events delivered to ${subscriptionCount} subscribers:`,
    );
    console.log(`  RSS at the end ${fmt(final)} MB (${fmt(final / BUDGET_MB, 2)}x the ${BUDGET_MB} MB budget), peak ${fmt(peak)} MB`);
    console.log(
      `  last 5 min: slope ${fmt(perMinute, 2)} MB/min (${fmt(perMinute * 5, 1)} MB over 5 min); last minute's mean ${fmt(mean(lastMinute))} MB vs ${fmt(mean(fiveBefore))} MB five minutes earlier (${fmt(mean(lastMinute) - mean(fiveBefore), 1)} MB)`,
    );
  } finally {
    for (const { load } of loads) load.stop();
    await Promise.all(clients.map(async (c) => c.dispose()));
    await gateway.stop();
    await deps.close();
    await pool.end();
    const admin = new pg.Client({ connectionString: BENCH_SERVER });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).finally(() => admin.end());
  }
}

await main();
