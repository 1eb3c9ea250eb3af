import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { collectEvents } from '../helpers/collectEvents.js';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';
import { sampleValue } from './promText.js';

const TOKEN = 'metrics-token-0123456789abcdef';
const LIMIT = 3;

describe('GET /metrics on the main port', () => {
  it('does not exist without OMEGA_METRICS_TOKEN: 404 like any unknown path', async () => {
    const t = await startTestApp();
    try {
      const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ detail: 'No route GET /metrics', code: 'NOT_FOUND' });
    } finally {
      await t.close();
    }
  });

  describe('with a token', () => {
    let t: TestApp;
    let biz: { id: string; apiKey: string };
    let wsUrl: string;
    const scrape = async () => {
      const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      return res.body;
    };

    beforeAll(async () => {
      t = await startTestApp({ appOptions: { metricsToken: TOKEN, rateLimitPerMinute: LIMIT } });
      biz = await createBusiness(t.deps, 'metrics-biz');
      const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
      wsUrl = `${address.replace('http', 'ws')}/graphql`;
    });
    afterAll(() => t.close());

    it('answers 401 without the token, with another token or another scheme', async () => {
      for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdef', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, 'Bearer ']) {
        const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: authorization === undefined ? {} : { authorization } });
        expect(res.statusCode, String(authorization)).toBe(401);
        expect(res.json().code).toBe('UNAUTHENTICATED');
        expect(res.body).not.toContain('omega_');
      }
    });

    it('is not rate limited: more scrapes than the limit all answer', async () => {
      for (let i = 0; i < LIMIT + 2; i++) await scrape();
    });

    it('counts HTTP requests by route pattern, GraphQL operations by name, rate-limit refusals, and shows the pool and the process', async () => {
      const url = `/businesses/${biz.id}/locations`;
      const statuses: number[] = [];
      for (let i = 0; i < LIMIT + 1; i++) statuses.push((await t.app.inject({ method: 'GET', url, headers: { 'x-api-key': biz.apiKey } })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
      await t.app.inject({ method: 'GET', url: '/no/such/path' });
      const gql = await t.app.inject({ method: 'POST', url: '/graphql', payload: { query: 'query HealthProbe { health { status } }' } });
      expect(gql.json().data.health.status).toBe('ok');
      const bad = await t.app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ business(id: "metrics-biz") { id } }' } });
      expect(bad.json().errors).toBeDefined();

      const text = await scrape();
      const route = '/businesses/:business_id/locations';
      expect(sampleValue(text, 'omega_http_request_duration_seconds_count', { method: 'GET', route, status_code: '200' })).toBe(3);
      expect(sampleValue(text, 'omega_http_request_duration_seconds_count', { method: 'GET', route, status_code: '429' })).toBe(1);
      expect(sampleValue(text, 'omega_http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' })).toBe(1);
      // No URL becomes a label: the business id appears nowhere.
      expect(text).not.toContain('metrics-biz');
      const sum = sampleValue(text, 'omega_http_request_duration_seconds_sum', { method: 'GET', route, status_code: '200' })!;
      expect(sum).toBeGreaterThan(0);
      expect(sum).toBeLessThan(30);
      expect(sampleValue(text, 'omega_rate_limit_refusals_total', { kind: 'credential' })).toBe(1);
      expect(sampleValue(text, 'omega_graphql_operation_duration_seconds_count', { operation_name: 'HealthProbe', operation_type: 'query', errored: 'false' })).toBe(1);
      expect(sampleValue(text, 'omega_graphql_operation_duration_seconds_count', { operation_name: 'anonymous', operation_type: 'query', errored: 'true' })).toBe(1);
      expect(sampleValue(text, 'omega_pg_pool_clients', { state: 'total' })).toBeGreaterThan(0);
      expect(sampleValue(text, 'omega_pg_pool_clients', { state: 'waiting' })).toBe(0);
      expect(sampleValue(text, 'omega_process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
      expect(sampleValue(text, 'omega_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
      // The API process runs no worker here: no queue gauges (and no queue statement per scrape).
      expect(sampleValue(text, 'omega_worker_jobs')).toBeUndefined();
    });

    it('counts open subscriptions while they are open', async () => {
      // A business of its own: the first one's key has used its requests.
      const other = await createBusiness(t.deps, 'metrics-sub');
      const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, connectionParams: { 'X-API-KEY': other.apiKey }, onNonLazyError: () => undefined });
      try {
        const open = async () => sampleValue(await scrape(), 'omega_graphql_subscriptions_open');
        expect(await open()).toBe(0);
        const sub = collectEvents(client, 'subscription Live($b: String!) { inboxEvents(businessId: $b) { cursor } }', { b: other.id }, 1);
        await waitFor('the subscription to be counted open', async () => (await open()) === 1);
        sub.dispose();
        await client.dispose();
        await waitFor('the subscription to be counted closed', async () => (await open()) === 0);
        expect(sampleValue(await scrape(), 'omega_graphql_operation_duration_seconds_count', { operation_name: 'Live', operation_type: 'subscription' })).toBe(1);
      } finally {
        await client.dispose();
      }
    });
  });
});
