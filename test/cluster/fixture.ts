// What the gateway scale-out tests share: a database of the file's own with one inbox (business
// "multi", one conversation), the cluster on it, API keys, and graphql-ws subscribers.
import http from 'node:http';
import { createClient, type Client } from 'graphql-ws';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { startCluster, type Cluster, type ClusterOptions } from '../../scripts/cluster/startCluster.js';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import type { Deps } from '../../src/domain/deps.js';
import { buildInbox } from '../helpers/inboxFixture.js';
import { startTestDeps } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';

export const BUSINESS = 'multi';
const SUBSCRIPTION = 'subscription ($b: String!, $after: String) { inboxEvents(businessId: $b, after: $after) { cursor type messageId } }';

export interface InboxEvent {
  cursor: string;
  type: string;
  messageId: string | null;
}

export interface InboxCluster {
  cluster: Cluster;
  deps: Deps;
  conversationId: string;
  /** A new API key of the business (each test its own: the rate limit counts per key). */
  newKey(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startInboxCluster(options: Pick<ClusterOptions, 'redisUrl' | 'env'>): Promise<InboxCluster> {
  const t = await startTestDeps(4);
  let cluster: Cluster | undefined;
  let conversationId: string;
  try {
    const inbox = await buildInbox(t.deps, BUSINESS, [{ client: { firstName: 'A', lastName: 'B', phone: '+14155550777' }, messages: [{ direction: 'inbound', body: 'hi', minutesAgo: 1 }] }]);
    conversationId = inbox.conversations[0]!.conversationId;
    // Small pools: PostgreSQL's max_connections (100 here) is shared by every test running at once.
    cluster = await startCluster({ databaseUrl: t.db.url, ...options, env: { OMEGA_PG_POOL_MAX: '6', ...options.env } });
  } catch (err) {
    await t.close();
    throw err;
  }
  const c = cluster;
  return {
    cluster: c,
    deps: t.deps,
    conversationId,
    newKey: async (name) => (await createApiKey(t.deps, { name, businessId: BUSINESS })).key,
    async close() {
      await c.stop();
      await t.close();
    },
  };
}

/** POSTs JSON (or GETs) with the key; answers status and body, or throws on a network error. */
export async function call(url: string, key: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON (e.g. nginx's own error page): kept as text
  }
  return { status: res.status, json };
}

/**
 * The same as call(), on a connection of its own (Connection: close). The rolling restart's load
 * uses it: nginx's reload (drain) closes its idle kept-alive client connections, and a POST sent
 * on one just then fails without having reached nginx (browsers resend on such a reused
 * connection; fetch does not).
 */
export function callOnce(url: string, key: string, body?: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method: payload === undefined ? 'GET' : 'POST',
        agent: false,
        timeout: 20_000,
        headers: { 'x-api-key': key, connection: 'close', ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = text;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON (e.g. nginx's own error page): kept as text
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 20 s')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** The business's current position in its event log (GraphQL inboxEventCursor). */
export async function currentCursor(baseUrl: string, key: string): Promise<string> {
  const res = await call(`${baseUrl}/graphql`, key, { query: 'query ($b: String!) { inboxEventCursor(businessId: $b) }', variables: { b: BUSINESS } });
  if (res.status !== 200 || !res.json?.data) throw new Error(`inboxEventCursor: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json.data.inboxEventCursor as string;
}

export interface Subscriber {
  events: InboxEvent[];
  /** Close codes of the sockets the server (or the proxy) closed. */
  closes: number[];
  /** Times it subscribed again from its cursor (each attempt). */
  resumes: number;
  /** GraphQL errors received (none expected). */
  errors: string[];
  stop(): Promise<void>;
}

/**
 * A subscriber as the inbox web app is (web/src/lib/client.ts + web/src/live): graphql-ws without
 * automatic retries; after any close it subscribes again after the cursor of the last event it
 * received (here 50 ms later, again while that fails).
 */
export function subscribe(wsUrl: string, key: string, after: string): Subscriber {
  const sub: Subscriber = { events: [], closes: [], resumes: 0, errors: [], stop: async () => undefined };
  let cursor = after;
  let client: Client | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const connect = () => {
    if (stopped) return;
    const c = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { 'X-API-KEY': key },
      onNonLazyError: () => undefined,
      on: {
        closed: (event) => {
          if (!stopped) sub.closes.push((event as { code: number }).code);
        },
      },
    });
    client = c;
    c.subscribe<{ inboxEvents: InboxEvent }>(
      { query: SUBSCRIPTION, variables: { b: BUSINESS, after: cursor } },
      {
        next: (msg) => {
          if (msg.errors) return void sub.errors.push(JSON.stringify(msg.errors));
          const event = msg.data!.inboxEvents;
          sub.events.push(event);
          cursor = event.cursor;
        },
        error: () => {
          void c.dispose();
          if (stopped) return;
          sub.resumes++;
          timer = setTimeout(connect, 50);
        },
        complete: () => undefined,
      },
    );
  };
  connect();
  sub.stop = async () => {
    stopped = true;
    clearTimeout(timer);
    await client?.dispose();
  };
  return sub;
}

/**
 * Subscribes on gateway 1, writes a note through gateway 2, and waits (15 s at most) until the
 * subscriber has its message.created: the fan-out between gateways (NOTIFY, or Redis with REDIS_URL).
 */
export async function expectNoteFansOut(c: InboxCluster, body: string): Promise<void> {
  const key = await c.newKey('fan-out');
  const [g1, g2] = c.cluster.gatewayUrls;
  const sub = subscribe(`${g1!.replace('http', 'ws')}/graphql`, key, await currentCursor(g1!, key));
  try {
    const res = await call(`${g2}/businesses/${BUSINESS}/conversations/${c.conversationId}/notes`, key, { body });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    await waitFor(
      'the note at the subscriber of g1',
      () => sub.events.some((e) => e.type === 'message.created' && e.messageId === res.json.id),
      15_000,
      () => c.cluster.output(),
    );
    expect(sub.errors).toEqual([]);
  } finally {
    await sub.stop();
  }
}
