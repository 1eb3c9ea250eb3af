// Conversations list filtered by labels on the large business of the inbox data set: the first
// page of `conversations(first: 50)` with client, assignee, last message and labels, over GraphQL on
// a real HTTP server, filtered by one label (of several shares of the business's conversations), by
// two labels (any, all) and by a label with a view. Target: p95 < 15 ms.
// The labels are put on the data set here, idempotently (in omega_bench only): four labels on a
// deterministic share of the 100,000 conversations (hash of the id): 20 %, 10 %, 3 % and 0.5 %.
// Prints every run, the medians over runs, the statements of a request and EXPLAIN of each id page.
// Usage: npm run bench -- label-filter [--runs 5] [--iterations 200]
import { selectConversationPage, type ConversationListFilter } from '../src/db/sql/selectConversationPage.js';
import { toKeysetPage } from '../src/domain/paging.js';
import { LARGE_BUSINESS, capturingPool, counted, explain, graphqlOk, machine, median, ms, numberOption, percentiles, printPlan, rawPool, startBenchApp, tallySql, timeSerial } from './_lib.js';
import { ensureInboxDataset } from './seed-inbox.js';

const runs = numberOption('--runs', 5);
const iterations = numberOption('--iterations', 200);
const PAGE = 50;

/** Labels put on the large business: name, colour, share of its conversations in thousandths. */
const LABELS = [
  { name: 'bench-urgent', color: '#d62728', perMille: 200 },
  { name: 'bench-vip', color: '#d4a017', perMille: 100 },
  { name: 'bench-follow-up', color: '#1f77b4', perMille: 30 },
  { name: 'bench-rare', color: '#7f7f7f', perMille: 5 },
] as const;

const QUERY = `query ($b: String!, $first: Int, $after: String, $filter: ConversationFilterInput) {
  conversations(businessId: $b, first: $first, after: $after, filter: $filter) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      conversationId status pinned unreadCount lastActivityAt lastMessagePreview
      client { clientId name phones type groups }
      assignee { staffId name }
      lastMessage { messageId body channel direction status createdAt }
      labels { id name color }
    } }
  }
}`;

const info = await ensureInboxDataset();
console.log(`label-filter on ${machine()}; data set ${info.dataset} (${info.counts.conversations} conversations, loaded ${info.now})`);
const raw = rawPool();
const ids: Record<string, string> = {};
try {
  // Idempotent: the labels by name, each on its share of conversations (ON CONFLICT: already there).
  const t0 = performance.now();
  let added = 0;
  for (const l of LABELS) {
    const { rows } = await raw.query<{ id: string }>(
      `INSERT INTO labels (business_id, name, color) VALUES ($1, $2, $3)
       ON CONFLICT (business_id, lower(name)) DO UPDATE SET color = EXCLUDED.color RETURNING id::text AS id`,
      [LARGE_BUSINESS, l.name, l.color],
    );
    ids[l.name] = rows[0]!.id;
    const res = await raw.query(
      `INSERT INTO conversation_labels (conversation_id, label_id, business_id)
       SELECT c.id, $2::uuid, c.business_id FROM conversations c
        WHERE c.business_id = $1 AND abs(hashtext(c.id::text || $3::text)) % 1000 < $4::int
       ON CONFLICT DO NOTHING`,
      [LARGE_BUSINESS, ids[l.name], l.name, l.perMille],
    );
    added += res.rowCount ?? 0;
  }
  // Statistics for the planner, and the visibility map for index-only probes of the primary key.
  if (added > 0) await raw.query('VACUUM (ANALYZE) conversation_labels');
  const { rows: counts } = await raw.query<{ name: string; n: number }>(
    `SELECT l.name, count(x.*)::int AS n FROM labels l LEFT JOIN conversation_labels x ON x.label_id = l.id WHERE l.business_id = $1 AND l.name LIKE 'bench-%' GROUP BY l.name ORDER BY n DESC`,
    [LARGE_BUSINESS],
  );
  console.log(`labels: ${counts.map((c) => `${c.name} on ${c.n}`).join(', ')} (${added} added, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
} catch (err) {
  await raw.end();
  throw err;
}

const bench = await startBenchApp();
try {
  const cases: { name: string; filter: ConversationListFilter }[] = [
    // The same page with no filter, timed alongside: what the label filter adds to it on this machine now.
    { name: 'baseline: inbox, no filter', filter: {} },
    ...LABELS.map((l) => ({ name: `${l.name} (${l.perMille / 10} %)`, filter: { labelIds: [ids[l.name]!] } })),
    { name: 'urgent or vip (any)', filter: { labelIds: [ids['bench-urgent']!, ids['bench-vip']!], labelMatch: 'any' } },
    { name: 'urgent and vip (all)', filter: { labelIds: [ids['bench-urgent']!, ids['bench-vip']!], labelMatch: 'all' } },
    { name: 'follow-up and rare (all)', filter: { labelIds: [ids['bench-follow-up']!, ids['bench-rare']!], labelMatch: 'all' } },
    { name: 'vip, view unread', filter: { labelIds: [ids['bench-vip']!], view: 'unread' } },
  ];
  const call = (filter: ConversationListFilter) => counted(() => graphqlOk(bench.url, bench.apiKey, QUERY, { b: LARGE_BUSINESS, first: PAGE, filter }));

  // The pages are right: each row has the labels asked for.
  for (const c of cases) {
    const data = await graphqlOk(bench.url, bench.apiKey, QUERY, { b: LARGE_BUSINESS, first: PAGE, filter: c.filter });
    const edges = data.conversations.edges as { node: { labels: { id: string }[] } }[];
    const wanted = c.filter.labelIds ?? [];
    const ok = edges.every((e) =>
      wanted.length === 0 ? true : c.filter.labelMatch === 'all' ? wanted.every((id) => e.node.labels.some((l) => l.id === id)) : wanted.some((id) => e.node.labels.some((l) => l.id === id)),
    );
    if (!ok) throw new Error(`case ${c.name}: a row lacks the labels filtered on`);
    console.log(`  ${c.name}: first page ${edges.length} rows`);
  }

  console.log(`\nwarm-up: ${cases.length} cases x 50 requests`);
  for (const c of cases) await timeSerial(call(c.filter), 50);
  const samples = new Map(cases.map((c) => [c.name, [] as { p50: number; p95: number }[]]));
  for (let r = 1; r <= runs; r++) {
    const line: string[] = [];
    for (const c of cases) {
      const p = percentiles(await timeSerial(call(c.filter), iterations));
      samples.get(c.name)!.push(p);
      line.push(`${c.name} ${ms(p.p50)}/${ms(p.p95)}`);
    }
    console.log(`run ${r} (${iterations} requests per case, p50/p95 ms): ${line.join('; ')}`);
  }

  console.log(`\nmedians over ${runs} runs of ${iterations} sequential requests, first page of ${PAGE} (ms); target p95 < 15 ms`);
  console.log(`${'case'.padEnd(30)} ${'p50'.padStart(7)} ${'p95'.padStart(7)}  met`);
  for (const c of cases) {
    const s = samples.get(c.name)!;
    const p95 = median(s.map((x) => x.p95));
    console.log(`${c.name.padEnd(30)} ${ms(median(s.map((x) => x.p50))).padStart(7)} ${ms(p95).padStart(7)}  ${p95 < 15 ? 'yes' : 'NO'}`);
  }

  console.log('\nstatements of one request (app pool, 20 requests per case):');
  for (const c of cases) {
    const tally = await tallySql(async () => {
      for (let i = 0; i < 20; i++) await call(c.filter)();
    });
    console.log(`  ${c.name}: ${tally.statements / 20} statements, ${ms(tally.ms / 20)} ms in SQL`);
  }

  for (const c of cases) {
    const { pool, captured } = capturingPool();
    await selectConversationPage(pool, LARGE_BUSINESS, c.filter, toKeysetPage({ take: PAGE + 1, skip: 0 }));
    printPlan(`id page, ${c.name}`, await explain(raw, captured[0]!));
  }
  console.log(`\nfinished on ${machine()}`);
} finally {
  await raw.end();
  await bench.close();
}
