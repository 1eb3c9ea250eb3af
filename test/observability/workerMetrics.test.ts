// The metrics port of a process that runs a worker: a real send (queue, graphile-worker, the Twilio
// SDK under msw), its delivery webhook, jobs that fail, the queue's depth, and readiness with the
// worker's heartbeat.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMetricsServer, type MetricsServer } from '../../src/http/metricsServer.js';
import type { WorkerHandle } from '../../src/worker/startWorker.js';
import { startWorker } from '../../src/worker/startWorker.js';
import { startFakeProviders, type FakeProviders } from '../helpers/msw.js';
import { waitFor } from '../helpers/waitFor.js';
import { ACCOUNT_SID, startWebhookFixture, type WebhookFixture } from '../webhooks/fixture.js';
import { sampleValue } from './promText.js';

describe('metrics and readiness of a process running a worker, on OMEGA_METRICS_PORT', () => {
  let fake: FakeProviders;
  let f: WebhookFixture;
  let server: MetricsServer;
  let worker: WorkerHandle;
  let base: string;
  const scrape = async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    return res.text();
  };
  const ready = async () => {
    const res = await fetch(`${base}/health/ready`);
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    fake = startFakeProviders();
    f = await startWebhookFixture({ channels: fake.channels() });
    server = await startMetricsServer({ host: '127.0.0.1', port: 0, metrics: f.deps.metrics, readiness: f.deps.readiness });
    base = `http://127.0.0.1:${server.port}`;
    worker = await startWorker(f.deps, { concurrency: 2, deadAfterSeconds: 60, log: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await worker?.stop();
    await server?.close();
    await f?.close();
    fake?.close();
  });

  it('serves only /metrics and /health/ready', async () => {
    expect((await fetch(`${base}/graphql`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it("is ready once the worker's heartbeat is recorded, and not ready when it goes stale", async () => {
    await waitFor('the worker to be ready', async () => (await ready()).status === 200);
    expect((await ready()).body).toEqual({ status: 'ready', checks: { database: { status: 'ok' }, migrations: { status: 'ok' }, worker: { status: 'ok' } } });
    // A heartbeat past its deadline (the worker stuck or its beats failing).
    await f.deps.pool.query(`UPDATE worker_heartbeats SET dead_at = now() - interval '1 second'`);
    const stale = await ready();
    expect(stale.status).toBe(503);
    expect(stale.body.status).toBe('not_ready');
    expect(stale.body.checks.worker).toMatchObject({ status: 'failed', detail: expect.stringMatching(/heartbeat missing or past its deadline/) });
    expect(stale.body.checks.database).toEqual({ status: 'ok' });
    await f.deps.pool.query(`UPDATE worker_heartbeats SET dead_at = now() + interval '60 seconds'`);
    expect((await ready()).status).toBe(200);
  });

  it('counts a real send, its provider call, its job and its delivery webhook', async () => {
    const to = '+14155550377';
    const res = await f.post('/sms/send', { to, body: 'See you at 10', location_id: f.loc.downtown });
    expect(res.status).toBe(202);
    const messageId = res.json.messages[0].message_id as string;
    await waitFor('the worker to send the SMS', async () => (await f.deps.prisma.message.findUniqueOrThrow({ where: { id: messageId } })).status === 'sent');
    await waitFor('the send job to be recorded', async () => sampleValue(await scrape(), 'omega_worker_job_duration_seconds_count', { task: 'send_sms', outcome: 'success' }) === 1);
    const sent = fake.twilio.find((r) => r.to === to)!;
    const callback = new URL(sent.statusCallback!);
    const hook = await f.twilio(callback.pathname + callback.search, {
      MessageSid: sent.sid,
      MessageStatus: 'delivered',
      SmsSid: sent.sid,
      SmsStatus: 'delivered',
      AccountSid: ACCOUNT_SID,
      To: to,
      From: '+15005550006',
    });
    expect(hook.status).toBe(200);

    const text = await scrape();
    expect(sampleValue(text, 'omega_sends_total', { channel: 'sms', provider: 'twilio', outcome: 'accepted' })).toBe(1);
    expect(sampleValue(text, 'omega_provider_call_duration_seconds_count', { provider: 'twilio', operation: 'send', outcome: 'ok' })).toBe(1);
    const callSeconds = sampleValue(text, 'omega_provider_call_duration_seconds_sum', { provider: 'twilio', operation: 'send' })!;
    expect(callSeconds).toBeGreaterThan(0);
    expect(callSeconds).toBeLessThan(5);
    expect(sampleValue(text, 'omega_webhook_lag_seconds_count', { provider: 'twilio', since: 'receipt' })).toBe(1);
    expect(sampleValue(text, 'omega_webhook_lag_seconds_sum', { provider: 'twilio' })).toBeLessThan(5);
    expect(sampleValue(text, 'omega_http_request_duration_seconds_count', { method: 'POST', route: '/twilio/sms/status', status_code: '200' })).toBe(1);
  });

  it('counts failed jobs (final when out of attempts) and shows the queue by task and state', async () => {
    // A payload the task refuses: it throws; with one attempt the failure is final.
    await f.deps.pool.query(`SELECT graphile_worker.add_job('send_sms', '{}'::json, max_attempts => 1)`);
    await waitFor('the bad job to fail', async () => sampleValue(await scrape(), 'omega_worker_job_failures_total', { task: 'send_sms', final: 'true' }) === 1);
    // Due 30 s ago for a task no worker knows (stays runnable), and one due in an hour.
    await f.deps.pool.query(`SELECT graphile_worker.add_job('omega_test_unknown', '{}'::json, run_at => now() - interval '30 seconds')`);
    await f.deps.pool.query(`SELECT graphile_worker.add_job('omega_test_unknown', '{}'::json, run_at => now() + interval '1 hour')`);
    const text = await scrape();
    expect(sampleValue(text, 'omega_worker_jobs', { task: 'omega_test_unknown', state: 'runnable' })).toBe(1);
    expect(sampleValue(text, 'omega_worker_jobs', { task: 'omega_test_unknown', state: 'scheduled' })).toBe(1);
    expect(sampleValue(text, 'omega_worker_jobs', { task: 'omega_test_unknown', state: 'locked' })).toBe(0);
    const age = sampleValue(text, 'omega_worker_oldest_job_age_seconds', { task: 'omega_test_unknown' })!;
    expect(age).toBeGreaterThanOrEqual(30);
    expect(age).toBeLessThan(120);
    expect(sampleValue(text, 'omega_worker_job_duration_seconds_count', { task: 'send_sms', outcome: 'error' })).toBe(1);
  });
});
