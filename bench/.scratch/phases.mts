import { run, Logger } from 'graphile-worker';
import { fork } from 'node:child_process';
import { createTwilioSmsChannel } from '/work/main/src/channels/twilio/createTwilioSmsChannel.ts';
import { createDeps } from '/work/main/src/createDeps.ts';
import { createPool } from '/work/main/src/db/pool.ts';
import { taskList } from '/work/main/src/worker/taskList.ts';
const url = 'postgresql://postgres@127.0.0.1:5432/omega_bench_sending_drain';
const pool = createPool(url, 20, () => {});
const child = fork('/work/main/bench/_fakeTwilio.ts', [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
const port = await new Promise<number>((r) => child.stdout!.once('data', (d) => r(JSON.parse(d.toString()).port)));
const stats: Record<string, number[]> = {};
const rec = (k: string, v: number) => (stats[k] ??= []).push(v);
const origQuery = pool.query.bind(pool) as any;
(pool as any).query = async (...args: any[]) => { const t = performance.now(); try { return await origQuery(...args); } finally { const q = typeof args[0] === 'string' ? args[0] : args[0].text; rec('pool:' + q.replace(/\s+/g, ' ').slice(0, 40), performance.now() - t); } };
const tw = createTwilioSmsChannel({ accountSid: 'AC' + '0'.repeat(32), authToken: 'x', publicBaseUrl: 'https://x', defaultSender: null, apiBaseUrl: `http://127.0.0.1:${port}` });
const sms = { ...tw, send: async (r: any) => { const t = performance.now(); try { return await tw.send(r); } finally { rec('twilio', performance.now() - t); } } };
const deps = await createDeps({ url, pool }, { warn() {} }, undefined, { channels: { sms } });
const biz = 'phase_' + Date.now();
await pool.query(`INSERT INTO businesses (id, name, updated_at) VALUES ($1, $1, now())`, [biz]);
await pool.query(`INSERT INTO locations (business_id, name, sms_phone_number, updated_at) VALUES ($1, 'Main', NULL, now())`, [biz]);
await pool.query(`UPDATE locations SET sms_phone_number = '+1500' || (random()*1e7)::int WHERE business_id = $1`, [biz]);
await pool.query(`INSERT INTO clients (business_id, phones, updated_at) SELECT $1, ARRAY['+1415' || lpad((5000000 + i)::text, 7, '0')], now() FROM generate_series(1, 500) i`, [biz]);
await pool.query(`INSERT INTO conversations (business_id, client_id, location_id) SELECT $1, c.id, l.id FROM clients c JOIN locations l ON l.business_id = $1 WHERE c.business_id = $1`, [biz]);
await pool.query(`WITH conv AS (SELECT cv.id, cv.client_id, cv.location_id, c.phones[1] AS phone, row_number() OVER (ORDER BY cv.id) - 1 AS k FROM conversations cv JOIN clients c ON c.id = cv.client_id WHERE cv.business_id = $1),
 m AS (INSERT INTO messages (business_id, conversation_id, client_id, location_id, channel, direction, status, body, to_address, media, metadata, updated_at)
  SELECT $1, conv.id, conv.client_id, conv.location_id, 'sms', 'outbound', 'queued', 'x', conv.phone, '[]', '{}', now() FROM generate_series(0, 1999) i JOIN conv ON conv.k = i % 500 RETURNING id)
 SELECT count(*) FROM graphile_worker.add_jobs(ARRAY(SELECT ('send_sms', json_build_object('messageId', m.id), NULL, now(), 10, 'send_sms:' || m.id, NULL, NULL)::graphile_worker.job_spec FROM m))`, [biz]);
const t0 = performance.now();
const runner = await run({ pgPool: pool, taskList: taskList(deps), concurrency: 10, noHandleSignals: true, pollInterval: 2000, logger: new Logger(() => () => {}) });
const starts = new Map<string, number>();
runner.events.on('job:start', ({ job }) => starts.set(job.id, performance.now()));
runner.events.on('job:complete', ({ job }) => rec('job', performance.now() - starts.get(job.id)!));
for (;;) { const { rows } = await origQuery(`SELECT count(*)::int n FROM graphile_worker._private_jobs`); if (rows[0].n === 0) break; await new Promise((r) => setTimeout(r, 20)); }
console.log('rate', (2000 / ((performance.now() - t0) / 1000)).toFixed(0));
await runner.stop();
for (const [k, v] of Object.entries(stats)) { v.sort((a, b) => a - b); console.log(k.padEnd(50), 'n', v.length, 'p50', v[v.length >> 1].toFixed(1), 'p95', v[Math.floor(v.length * 0.95)].toFixed(1)); }
child.kill(); await deps.close(); await pool.end();
