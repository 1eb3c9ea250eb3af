// The inbox report over the inbox data set (bench/seed-inbox: 2M messages in one business): REST
// GET /businesses/{id}/reports/inbox for the last 90 local days, grouped by day and by staff, over
// HTTP on loopback. Rounds of ITERATIONS requests per case; the medians of each round's p50/p95
// are printed against the 200 ms target.
// Usage: npm run bench -- report [rounds=5] [iterations=20]   (BENCH_DB picks the database)
import { LARGE_BUSINESS, machine, median, percentiles, startBenchApp } from './_lib.js';
import { ensureInboxDataset } from './seed-inbox.js';

const ROUNDS = Number(process.argv[3] ?? 5);
const ITERATIONS = Number(process.argv[4] ?? 20);
const TARGET_MS = 200;

const info = await ensureInboxDataset();
const bench = await startBenchApp(LARGE_BUSINESS);
try {
  const base = bench.url.replace(/\/graphql$/, '');
  const day = (offset: number) => new Date(Date.parse(info.now) + offset * 86_400_000).toISOString().slice(0, 10);
  const [from, to] = [day(-90), day(-1)];
  const cases = ['day', 'staff', 'week', 'location', 'channel'];
  const rounds: Record<string, { p50: number; p95: number }[]> = Object.fromEntries(cases.map((c) => [c, []]));
  const get = async (groupBy: string) => {
    const res = await fetch(`${base}/businesses/${LARGE_BUSINESS}/reports/inbox?from=${from}&to=${to}&group_by=${groupBy}`, { headers: { 'x-api-key': bench.apiKey } });
    if (res.status !== 200) throw new Error(`report ${groupBy}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ groups: unknown[]; totals: Record<string, unknown> }>;
  };
  const first = await get('day');
  console.log(`report ${from}..${to}: ${first.groups.length} days; totals ${JSON.stringify(first.totals)}`);
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of cases) {
      const samples: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const t0 = performance.now();
        await get(c);
        samples.push(performance.now() - t0);
      }
      const p = percentiles(samples);
      rounds[c]!.push({ p50: p.p50, p95: p.p95 });
    }
  }
  console.log(`\ninbox report, 90 days, ${ROUNDS} rounds of ${ITERATIONS} requests (${machine()}):`);
  for (const c of cases) {
    const p50 = median(rounds[c]!.map((x) => x.p50));
    const p95 = median(rounds[c]!.map((x) => x.p95));
    console.log(`  group_by=${c.padEnd(8)} p50 ${p50.toFixed(1)} ms   p95 ${p95.toFixed(1)} ms   ${p95 < TARGET_MS ? 'meets' : 'MISSES'} the ${TARGET_MS} ms p95 target`);
  }
} finally {
  await bench.close();
}
