// Search latency over GraphQL (buildApp on 127.0.0.1): searchMessages in the largest conversation
// (8,000 messages) and searchConversations in the large business (2,000,000 messages, 100,000
// clients), with realistic queries: common and rare words, phrases, OR, client names (exact and
// misspelt), phone digits, email parts. Target: p95 < 25 ms, and EXPLAIN shows index use
// (messages_conversation_id_search_tsv_idx, messages_utc_day_search_tsv_idx,
// clients_search_trgm_idx). Plans are of the application's own SQL, recorded while
// src/db/sql/searchMessages.ts runs on the data set (in searchConversations' plan, the windows of
// recent days it did not need show as "never executed"). Also timed: the same SQL without HTTP and
// GraphQL ("sql" columns), and a GraphQL round trip that searches nothing (the machine's floor).
// Slow queries get fewer iterations (a time budget).
// Usage: npm run bench -- search [--runs 3] [--iterations 30] [--plans]
import { searchBusinessConversations, searchConversationMessages } from '../src/db/sql/searchMessages.js';
import { clientSearchText } from '../src/domain/clients/clientSearchText.js';
import type { Pool } from '../src/db/pool.js';
import { LARGE_BUSINESS, counted, tallySql, explain, graphqlOk, hasFlag, indexesUsed, machine, median, ms, numberOption, percentiles, printPlan, rawPool, startBenchApp, timeSerial } from './_lib.js';
import { ensureInboxDataset } from './seed-inbox.js';
import { pgSql, type Sql } from '../src/db/sqlHandle.js';

const runs = numberOption('--runs', 3);
const iterations = numberOption('--iterations', 30);
const BUDGET_MS = 4_000;

const SEARCH_MESSAGES = `query ($c: String!, $q: String!) {
  searchMessages(conversationId: $c, query: $q, first: 20) { rank snippet message { messageId channel direction createdAt } }
}`;
const SEARCH_CONVERSATIONS = `query ($b: String!, $q: String!) {
  searchConversations(businessId: $b, query: $q, first: 20) {
    rank snippet matched messageId conversation { conversationId lastActivityAt client { name phones } }
  }
}`;

interface Probe {
  op: 'searchMessages' | 'searchConversations';
  label: string;
  q: string;
  perRun: { p50: number; p95: number; n: number; hits: number }[];
  samples: number[][];
}

const info = await ensureInboxDataset();
console.log(`search on ${machine()}; data set ${info.dataset}; largest conversation ${info.largestConversationId} (${info.largestConversationMessages} messages)`);
const bench = await startBenchApp();
const raw = rawPool();
try {
  // A real client of the large business for the name, phone and email queries.
  const { rows } = await raw.query<{ first_name: string; last_name: string; phone: string; email: string }>(
    `SELECT first_name, last_name, phones[1] AS phone, emails[1] AS email FROM clients
      WHERE business_id = $1 AND cardinality(emails) > 0 ORDER BY external_id LIMIT 1 OFFSET 4242`,
    [LARGE_BUSINESS],
  );
  const who = rows[0]!;
  // A typo: one letter of the last name dropped (within pg_trgm's word-similarity threshold).
  const cut = Math.floor(who.last_name.length / 2);
  const misspelt = who.last_name.slice(0, cut) + who.last_name.slice(cut + 1);
  const digits = who.phone.slice(-10);
  const probes: Probe[] = [
    ...['massage', 'deep tissue', 'cancel appointment', 'gift card', 'refund OR reschedule', '"hot stone"', 'parking', 'almond oil -nut'].map((q) => ({ op: 'searchMessages' as const, label: q, q })),
    ...[
      ['word (rare)', 'balayage'],
      ['words (common)', 'gift card'],
      ['phrase', '"bridal party"'],
      ['client name', `${who.first_name} ${who.last_name}`],
      ['name misspelt', `${who.first_name.toLowerCase()} ${misspelt.toLowerCase()}`],
      ['phone', `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`],
      ['email part', who.email.split('@')[0]!],
    ].map(([label, q]) => ({ op: 'searchConversations' as const, label: `${label}: ${q}`, q: q! })),
  ].map((p) => ({ ...p, perRun: [], samples: [] }));

  const request = (p: Probe) =>
    p.op === 'searchMessages'
      ? graphqlOk(bench.url, bench.apiKey, SEARCH_MESSAGES, { c: info.largestConversationId, q: p.q })
      : graphqlOk(bench.url, bench.apiKey, SEARCH_CONVERSATIONS, { b: LARGE_BUSINESS, q: p.q });
  const call = (p: Probe) => counted(() => request(p));

  console.log('warm-up: 3 requests per query');
  const hits = new Map<Probe, number>();
  for (const p of probes) {
    for (let i = 0; i < 3; i++) {
      const data = await request(p);
      hits.set(p, (data[p.op] as unknown[]).length);
    }
  }
  for (let r = 1; r <= runs; r++) {
    const line: string[] = [];
    for (const p of probes) {
      const first = (await timeSerial(call(p), 1))[0]!;
      const n = Math.max(5, Math.min(iterations, Math.floor(BUDGET_MS / first)));
      const samples = [first, ...(await timeSerial(call(p), n - 1))];
      const t = percentiles(samples);
      p.perRun.push({ p50: t.p50, p95: t.p95, n: samples.length, hits: hits.get(p)! });
      p.samples.push(samples);
      line.push(`${p.label} ${ms(t.p50)}/${ms(t.p95)}`);
    }
    console.log(`run ${r} (p50/p95 ms): ${line.join('; ')}`);
  }

  // The same queries' SQL alone (src/db/sql/searchMessages.ts on a plain pool: no HTTP, GraphQL or
  // Prisma), so a slow machine's fixed costs and the database's share can be told apart.
  const sqlOnly = (p: Probe) =>
    p.op === 'searchMessages'
      ? () => searchConversationMessages(pgSql(raw), LARGE_BUSINESS, info.largestConversationId, p.q, { limit: 20, offset: 0 })
      : () => searchBusinessConversations(pgSql(raw), LARGE_BUSINESS, p.q, clientSearchText(p.q), 20, 0);
  const sqlRuns = new Map<Probe, { p50: number; p95: number }[]>(probes.map((p) => [p, []]));
  for (let r = 1; r <= runs; r++) {
    for (const p of probes) sqlRuns.get(p)!.push(percentiles(await timeSerial(counted(sqlOnly(p)), p.perRun[r - 1]!.n, 1)));
  }

  // The floor under every number above on this machine right now: an authenticated GraphQL round
  // trip that runs no search (the API key check only), timed the same way.
  const floor: { p50: number; p95: number }[] = [];
  for (let r = 0; r < runs; r++)
    floor.push(
      percentiles(
        await timeSerial(
          counted(() => graphqlOk(bench.url, bench.apiKey, '{ __typename }')),
          iterations,
        ),
      ),
    );
  console.log(`floor (GraphQL round trip without search), medians of ${runs} runs: p50 ${ms(median(floor.map((f) => f.p50)))} ms, p95 ${ms(median(floor.map((f) => f.p95)))} ms`);

  console.log(`\nmedians over ${runs} runs (ms); target p95 < 25 ms`);
  console.log(
    `${'operation'.padEnd(20)} ${'query'.padEnd(36)} ${'hits'.padStart(4)} ${'n/run'.padStart(5)} ${'p50'.padStart(8)} ${'p95'.padStart(8)}  met ${'sql p50'.padStart(8)} ${'sql p95'.padStart(8)}`,
  );
  for (const p of probes) {
    const p95 = median(p.perRun.map((x) => x.p95));
    const sql = sqlRuns.get(p)!;
    console.log(
      `${p.op.padEnd(20)} ${p.label.slice(0, 36).padEnd(36)} ${String(p.perRun[0]!.hits).padStart(4)} ${String(p.perRun[0]!.n).padStart(5)} ${ms(median(p.perRun.map((x) => x.p50))).padStart(8)} ${ms(p95).padStart(8)}  ${p95 < 25 ? 'yes' : 'NO '} ${ms(median(sql.map((x) => x.p50))).padStart(8)} ${ms(median(sql.map((x) => x.p95))).padStart(8)}`,
    );
  }
  for (const op of ['searchMessages', 'searchConversations'] as const) {
    const mine = probes.filter((p) => p.op === op);
    // Every query weighs the same: each run's samples are resampled to the same count per query.
    const pooled = Array.from({ length: runs }, (_, r) => percentiles(mine.flatMap((p) => Array.from({ length: 20 }, (_, i) => p.samples[r]![Math.floor((i * p.samples[r]!.length) / 20)]!))));
    const p95 = median(pooled.map((x) => x.p95));
    console.log(
      `${op.padEnd(20)} ${'all queries, equal weight'.padEnd(36)} ${''.padStart(4)} ${''.padStart(5)} ${ms(median(pooled.map((x) => x.p50))).padStart(8)} ${ms(p95).padStart(8)}  ${p95 < 25 ? 'yes' : 'NO'}`,
    );
  }

  console.log("\nwhere one request's time goes (statements of the app's pool, wall ms each):");
  for (const p of [probes.find((x) => x.op === 'searchMessages')!, probes.find((x) => x.op === 'searchConversations')!]) {
    let total = 0;
    const tally = await tallySql(async () => {
      const t0 = performance.now();
      await request(p);
      total = performance.now() - t0;
    });
    console.log(`  ${p.op} "${p.q}": ${ms(total)} ms in all, ${tally.statements} statements ${ms(tally.ms)} ms`);
    for (const [text, e] of tally.byStatement) console.log(`    ${String(e.n).padStart(2)} x ${ms(e.ms / e.n).padStart(7)} ms  ${text}`);
  }

  console.log('\nEXPLAIN (ANALYZE, BUFFERS) of the application SQL (indexes used; full plans for the first query of each kind, all with --plans):');
  const shown = new Set<string>();
  for (const p of probes) {
    const { pool, captured } = recordingPool(raw);
    if (p.op === 'searchMessages') await searchConversationMessages(pool, LARGE_BUSINESS, info.largestConversationId, p.q, { limit: 20, offset: 0 });
    else await searchBusinessConversations(pool, LARGE_BUSINESS, p.q, clientSearchText(p.q), 20, 0);
    const kind = p.op === 'searchMessages' ? p.op : `${p.op}/${p.label.split(':')[0]!.includes('name') || p.label.startsWith('phone') || p.label.startsWith('email') ? 'client' : 'text'}`;
    const full = hasFlag('--plans') || !shown.has(kind);
    shown.add(kind);
    for (const [i, q] of captured.entries()) {
      const plan = await explain(raw, q);
      const title = `${p.op} "${p.q}"${captured.length > 1 ? ` statement ${i + 1}/${captured.length}` : ''}`;
      if (full) printPlan(title, plan);
      else console.log(`  ${title}: ${indexesUsed(plan).join(', ') || 'no index'}; ${plan.find((l) => l.startsWith('Execution Time')) ?? ''}`);
    }
  }
  console.log(`\nfinished on ${machine()}`);
} finally {
  await raw.end();
  await bench.close();
}

/** A pool that runs every statement on `raw` and records it, so its plans can be explained after. */
function recordingPool(raw: Pool): { pool: Sql; captured: { text: string; values: unknown[] }[] } {
  const captured: { text: string; values: unknown[] }[] = [];
  const sql = pgSql(raw);
  const pool: Sql = {
    query: (statement, values = []) => {
      captured.push({ text: typeof statement === 'string' ? statement : statement.text, values: [...values] });
      return sql.query(statement, values);
    },
    eventsWritten: () => undefined,
  };
  return { pool, captured };
}
