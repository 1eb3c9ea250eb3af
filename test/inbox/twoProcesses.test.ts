// Two gateway processes on one database: events written through one reach graphql-ws subscribers
// of the other (LISTEN/NOTIFY fan-out), and a subscriber that reconnects with its cursor gets every
// event it missed, then live ones, with no gap and no duplicate.
import { spawn, type ChildProcess } from 'node:child_process';
import { createClient, type Client } from 'graphql-ws';
import { collectEvents } from '../helpers/collectEvents.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import { buildInbox } from '../helpers/inboxFixture.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const SUBSCRIPTION = 'subscription ($b: String!, $after: String) { inboxEvents(businessId: $b, after: $after) { cursor type conversationId payload } }';

interface Event {
  cursor: string;
  type: string;
  conversationId: string | null;
  payload: { channel?: string };
}

function startGateway(databaseUrl: string): Promise<{ child: ChildProcess; wsUrl: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', OMEGA_SEED_DEMO: 'false', OMEGA_WORKER_IN_PROCESS: 'false', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`second gateway did not start:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      // Its log is JSON lines; the one saying it is running has its URLs.
      const running = out
        .split('\n')
        .slice(0, -1) // whole lines only
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; urls?: { subscriptions: string } })
        .find((line) => line.msg === 'Omega is running');
      if (running?.urls) {
        clearTimeout(timer);
        resolve({ child, wsUrl: running.urls.subscriptions });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`second gateway exited with ${code}:\n${out}`)));
  });
}

describe('inbox events across two gateway processes', () => {
  let t: TestApp;
  let gateway: { child: ChildProcess; wsUrl: string };
  let key: string;
  let conversationId: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    const inbox = await buildInbox(t.deps, 'multi', [{ client: { firstName: 'A', lastName: 'B', phone: '+14155550777' }, messages: [{ direction: 'inbound', body: 'hi', minutesAgo: 1 }] }]);
    conversationId = inbox.conversations[0]!.conversationId;
    key = (await createApiKey(t.deps, { name: 't', businessId: 'multi' })).key;
    gateway = await startGateway(t.db.url);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map(async (c) => c.dispose()));
    if (gateway?.child.exitCode === null) {
      const exited = new Promise((r) => gateway.child.once('exit', r));
      gateway.child.kill('SIGTERM');
      await exited;
    }
    await t.close();
  });

  const subscribe = (after: string | null, count: number) => {
    const client = createClient({ url: gateway.wsUrl, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, connectionParams: { 'X-API-KEY': key }, onNonLazyError: () => undefined });
    clients.push(client);
    const { done, dispose } = collectEvents<Event>(client, SUBSCRIPTION, { b: 'multi', after }, count, 15_000);
    return {
      done,
      close: () => {
        dispose();
        return client.dispose();
      },
    };
  };

  /** Newest event id: subscribing after it leaves no race between subscribing and publishing. */
  const latest = async () => (await t.deps.pool.query(`SELECT coalesce(max(id), 0)::text AS id FROM inbox_events WHERE business_id = 'multi'`)).rows[0].id as string;

  const note = async (body: string) => {
    const res = await t.app.inject({ method: 'POST', url: `/businesses/multi/conversations/${conversationId}/notes`, payload: { body }, headers: { 'x-api-key': key } });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };

  it('delivers an event written by this process to a subscriber of the other', async () => {
    const sub = subscribe(await latest(), 1);
    await note('from process A');
    const [event] = await sub.done;
    expect(event).toMatchObject({ type: 'message.created', conversationId, payload: { channel: 'note' } });
    await sub.close();
  });

  it('resumes after a reconnect with every missed event, then live ones, in order', async () => {
    const first = subscribe(await latest(), 1);
    await note('one');
    const [last] = await first.done;
    await first.close();

    // Missed while disconnected: two notes and a status change.
    await note('two');
    await note('three');
    await t.app.inject({ method: 'POST', url: `/businesses/multi/conversations/${conversationId}/status`, payload: { pinned: true }, headers: { 'x-api-key': key } });

    const resumed = subscribe(last!.cursor, 4);
    await note('four');
    const events = await resumed.done;
    expect(events.map((e) => e.type)).toEqual(['message.created', 'message.created', 'conversation.updated', 'message.created']);
    // Cursors are "<xid>:<id>", in log order.
    const position = (c: string) => c.split(':').map(BigInt) as [bigint, bigint];
    const byCursor = (a: string, b: string) => {
      const [ax, ai] = position(a);
      const [bx, bi] = position(b);
      return ax !== bx ? (ax < bx ? -1 : 1) : ai < bi ? -1 : ai > bi ? 1 : 0;
    };
    const cursors = events.map((e) => e.cursor);
    expect(byCursor(cursors[0]!, last!.cursor)).toBe(1);
    expect([...cursors].sort(byCursor)).toEqual(cursors);
    expect(new Set(cursors).size).toBe(4);
    await resumed.close();
  });
});
