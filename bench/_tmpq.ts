import pg from 'pg';
import { pgSql } from '../src/db/sqlHandle.js';
import * as m from '../src/db/sql/selectInboxReport.js';
const pool = new pg.Pool({ connectionString: 'postgresql://postgres@127.0.0.1:5432/omega_bench_reports', max: 4 });
const sql = pgSql(pool);
for (const groupBy of ['day', 'staff'] as const) {
  const ts: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    await m.selectInboxReport(sql, { businessId: 'bench-large', timeZone: 'America/New_York', from: '2026-09-05', to: '2026-12-03', groupBy, locationIds: null, channels: null, staffIds: null });
    ts.push(performance.now() - t0);
  }
  console.log(groupBy, ts.map((t) => t.toFixed(0)).join(' '));
}
await pool.end();
