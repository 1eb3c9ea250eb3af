// A gateway's graceful stop (app.close(), as src/main.ts runs it on SIGTERM): its graphql-ws
// sockets are closed with 1012 (Service Restart: clients reconnect and resume), it stops accepting
// connections and refuses new websocket upgrades, and a request in flight is answered, not cut.
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';

describe('a gateway stopping gracefully', () => {
  let t: TestApp;
  let url: string;
  let key: string;
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let slowStarted = false;

  beforeAll(async () => {
    t = await startTestApp({
      beforeReady: (app) => {
        // A request that is in flight when the stop begins, answered only once the test says so.
        app.get('/__slow', async () => {
          slowStarted = true;
          await released;
          return { done: true };
        });
      },
    });
    ({ apiKey: key } = await createBusiness(t.deps, 'stop'));
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    release();
    await t.close().catch(() => undefined);
  });

  it('closes subscriptions with 1012, refuses new connections, and answers the request in flight', async () => {
    const closes: number[] = [];
    let connected = false;
    const client = createClient({
      url: `${url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { 'X-API-KEY': key },
      onNonLazyError: () => undefined,
      on: {
        connected: () => (connected = true),
        closed: (e) => closes.push((e as { code: number }).code),
      },
    });
    client.subscribe({ query: 'subscription { inboxEvents(businessId: "stop") { cursor } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    await waitFor('the socket to be connected', () => connected);

    // On a kept-alive connection (fetch's default), as a balancer or a client without a proxy sends it.
    const slow = fetch(`${url}/__slow`, { signal: AbortSignal.timeout(15_000) });
    await waitFor('the slow request to be in flight', () => slowStarted);

    const closing = t.app.close();
    await waitFor('the socket closed by the stop', () => closes.length > 0, 5_000);
    expect(closes).toEqual([1012]);
    // No new connection once the listener is closed (a proxy passes to the other gateway).
    await waitFor('the listener to close', () => !t.app.server.listening, 5_000);
    await expect(fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow();

    // The request in flight is still answered, then the stop completes.
    release();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    // Answered with Connection: close, so the kept-alive connection does not hold the stop (it would
    // until its keep-alive timeout, 72 s).
    expect(res.headers.get('connection')).toBe('close');
    await Promise.race([closing, new Promise((_, reject) => setTimeout(() => reject(new Error('the stop did not end within 5 s of the last answer')), 5_000))]);
    await client.dispose();
  });
});
