import { createPool } from '../../src/db/pool.ts';
import { createDeps } from '../../src/createDeps.ts';
import { queueSms } from '../../src/domain/sending/queueSms.ts';
const url = 'postgresql://postgres@127.0.0.1:5432/omega_bench_sending_ingest';
const pool = createPool(url, 20, () => {});
const deps = await createDeps({ url, pool }, { warn() {} });
let i = 0;
const one = () => queueSms(deps, { businessId: 'bench_http', recipients: [{ to: `+1415${String(6000000 + (i++ * 7919 % 5000))}` }], body: 'hi there', requestId: `m-${Date.now()}-${i}` });
for (const conc of [Number(process.argv[2] ?? 1)]) {
  for (let k = 0; k < 30; k++) await one();
  const c0 = process.cpuUsage(); const t0 = performance.now(); let n = 0;
  const end = t0 + 8000;
  await Promise.all(Array.from({ length: conc }, async () => { while (performance.now() < end) { await one(); n++; } }));
  const c = process.cpuUsage(c0); const el = performance.now() - t0;
  console.log(`conc ${conc}: ${(n / el * 1000).toFixed(1)}/s, cpu per send ${((c.user + c.system) / 1000 / n).toFixed(2)} ms, cpu util ${((c.user + c.system) / 1000 / el * 100).toFixed(0)}%`);
}
await deps.close(); await pool.end();
