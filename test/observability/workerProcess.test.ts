// `npm run worker` with OMEGA_METRICS_PORT: a worker process has no other HTTP server, so its
// metrics and readiness (heartbeat included) are served there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { waitFor } from '../helpers/waitFor.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/workerProcess.js';
import { sampleValue } from './promText.js';

describe('a worker process on OMEGA_METRICS_PORT', () => {
  let db: TestDatabase;
  let worker: WorkerProcess;
  let base = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    worker = startWorkerProcess(db.url, null, { LOG_LEVEL: 'info', OMEGA_METRICS_PORT: '0' });
    await waitFor(
      'the worker to announce its metrics port',
      () => {
        const port = /"metricsPort":(\d+)/.exec(worker.output())?.[1];
        if (port) base = `http://127.0.0.1:${port}`;
        return base !== '';
      },
      60_000,
      () => worker.output(),
    );
  }, 90_000);
  afterAll(async () => {
    if (worker?.child.exitCode === null) {
      const exited = new Promise((resolve) => worker.child.once('exit', resolve));
      worker.child.kill('SIGTERM');
      await exited;
    }
    await db?.drop();
  });

  it("answers ready with the worker's heartbeat, and serves its metrics", async () => {
    let body: any;
    await waitFor(
      'the worker to be ready',
      async () => {
        const res = await fetch(`${base}/health/ready`);
        body = await res.json();
        return res.status === 200;
      },
      20_000,
      () => JSON.stringify(body),
    );
    expect(body).toEqual({ status: 'ready', checks: { database: { status: 'ok' }, migrations: { status: 'ok' }, worker: { status: 'ok' } } });
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(sampleValue(text, 'omega_pg_pool_clients', { state: 'total' })).toBeGreaterThan(0);
    expect(sampleValue(text, 'omega_process_resident_memory_bytes')).toBeGreaterThan(0);
    // The crontab's jobs are queued by the worker itself: the queue gauges answer for this process.
    expect(text).toContain('# TYPE omega_worker_jobs gauge');
  }, 40_000);
});
