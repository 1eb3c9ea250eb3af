import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgSql } from '../../src/db/sqlHandle.js';
import { startMetricsServer } from '../../src/http/metricsServer.js';
import { selectJobQueueStats } from '../../src/db/sql/selectJobQueueStats.js';
import { createMetrics } from '../../src/observability/createMetrics.js';
import { createReadiness } from '../../src/observability/createReadiness.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

describe('GET /health/ready', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const ready = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/ready' });
    return { status: res.statusCode, body: res.json() };
  };

  it('is 200 with every check when the database answers and every migration is applied (no worker in this process)', async () => {
    expect(await ready()).toEqual({
      status: 200,
      body: { status: 'ready', checks: { database: { status: 'ok' }, migrations: { status: 'ok' }, worker: { status: 'not_applicable', detail: 'no graphile-worker runs in this process' } } },
    });
    // /health stays the liveness probe, untouched.
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json().status).toBe('ok');
  });

  it('is 503 naming the migration the database lacks', async () => {
    const { rows } = await t.deps.pool.query<{ name: string }>(`SELECT max(migration_name) AS name FROM "_prisma_migrations"`);
    const name = rows[0]!.name;
    await t.deps.pool.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [name]);
    const r = await ready();
    expect(r.status).toBe(503);
    expect(r.body).toEqual({
      status: 'not_ready',
      checks: { database: { status: 'ok' }, migrations: { status: 'failed', detail: `not applied: ${name}` }, worker: expect.objectContaining({ status: 'not_applicable' }) },
    });
  });

  it('is 503 draining once the shutdown marks the process draining', async () => {
    t.deps.readiness.setDraining();
    const r = await ready();
    expect(r.status).toBe(503);
    expect(r.body.status).toBe('draining');
  });
});

describe('readiness with the database stopped, on the metrics port', () => {
  it('answers 503 with the database check failed, quickly', async () => {
    // Nothing listens on port 1: connections are refused, as with a stopped PostgreSQL.
    const pool = new pg.Pool({ connectionString: 'postgresql://postgres@127.0.0.1:1/omega', connectionTimeoutMillis: 1000 });
    pool.on('error', () => undefined);
    const metrics = createMetrics({ defaultMetrics: false });
    const readiness = createReadiness(pgSql(pool), { expectedMigrations: ['20260101000000_init'], timeoutMs: 1500 });
    readiness.watchWorker(() => ['some-worker']);
    const server = await startMetricsServer({ host: '127.0.0.1', port: 0, metrics, readiness, token: 'metrics-token-0123456789abcdef' });
    try {
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${server.port}/health/ready`);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(res.status).toBe(503);
      const body = (await res.json()) as any;
      expect(body.status).toBe('not_ready');
      expect(body.checks.database).toMatchObject({ status: 'failed', detail: expect.stringMatching(/^the database is unreachable \(/) });
      expect(body.checks.migrations.status).toBe('failed');
      expect(body.checks.worker.status).toBe('failed');
      // The metrics port asks for the token too when one is set.
      expect((await fetch(`http://127.0.0.1:${server.port}/metrics`)).status).toBe(401);
      const scraped = await fetch(`http://127.0.0.1:${server.port}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789abcdef' } });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('omega_http_request_duration_seconds');
      // A worker's queue gauges cannot be read now: the scrape still answers, and counts the error.
      metrics.sources.jobQueue = () => selectJobQueueStats(pgSql(pool)).then(() => []);
      const scrape = () => fetch(`http://127.0.0.1:${server.port}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789abcdef' } });
      expect((await scrape()).status).toBe(200);
      // (A counter is read as the scrape begins: the first failure shows in the next one.)
      const during = await scrape();
      expect(during.status).toBe(200);
      expect(await during.text()).toMatch(/^omega_metrics_scrape_errors_total\{source="worker_queue"\} [12]$/m);
    } finally {
      await server.close();
      await pool.end();
    }
  });
});
