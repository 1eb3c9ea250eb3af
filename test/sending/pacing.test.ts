// Per-sender pacing (README "Pacing") on real PostgreSQL and graphile-worker, sends counted at the
// fake Twilio by their receive times: two `npm run worker` processes share a sender's budget; a
// one-to-one message overtakes a bulk backlog; a 429 and a 30001 slow the sender down and the
// message is sent again (never dropped, at most 3 times for 30001); unpaced senders cost no pacing
// statement; the senders API over GraphQL and REST.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Sql } from '../../src/db/sqlHandle.js';
import type { Deps } from '../../src/domain/deps.js';
import { DEFAULT_PACING_RATES } from '../../src/domain/sending/pacing/pacer.js';
import { FAKE_TWILIO_ACCOUNT_SID, FAKE_TWILIO_AUTH_TOKEN, startFakeTwilio, type FakeTwilio, type ReceivedRequest } from '../helpers/fakeTwilio.js';
import { createBusiness, createServiceKey } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/workerProcess.js';
import { startSendingFixture, type SendingFixture } from './fixture.js';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });

/** What `npm run worker` and `npm start` run with by default (the test helpers turn pacing off). */
const AUTO = { mode: 'auto', rates: DEFAULT_PACING_RATES } as const;
const NUMBER_A = '+15005550006'; // the fixture's location A
const SERVICE_B = `MG${'b2'.repeat(16)}`; // the fixture's location B
const WARM_NUMBER = '+15005550077';

/** The creates the fake received from one sender (a number's From, or a messaging service), in order. */
function createsFrom(fake: FakeTwilio, sender: string): ReceivedRequest[] {
  return fake.received.filter((r) => r.method === 'POST' && r.path.endsWith('/Messages.json') && (r.form.get('From') === sender || r.form.get('MessagingServiceSid') === sender));
}

/** Receive times from the first, in ms: the message of a failed check. */
const offsets = (requests: ReceivedRequest[]) => requests.map((r) => r.at.getTime() - requests[0]!.at.getTime()).join(' ');

/** The most sends of these in any window of one second (receive times at the fake). */
function busiestSecond(requests: ReceivedRequest[]): number {
  const times = requests.map((r) => r.at.getTime()).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('pacing across two worker processes, at the fake Twilio', () => {
  let f: SendingFixture;
  let fake: FakeTwilio;
  let warmLocation: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    fake = await startFakeTwilio();
    const port = await freePort();
    const publicBaseUrl = `http://127.0.0.1:${port}`;
    const twilio = loadConfig({ TWILIO_ACCOUNT_SID: FAKE_TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: FAKE_TWILIO_AUTH_TOKEN, OMEGA_TWILIO_API_BASE_URL: fake.url }).twilio;
    f = await startSendingFixture({ depsOptions: { publicBaseUrl, twilio }, pacing: AUTO });
    await f.app.listen({ port, host: '127.0.0.1' });
    warmLocation = (await f.deps.prisma.location.create({ data: { businessId: f.businessId, name: 'Warm', timeZone: 'UTC', smsPhoneNumber: WARM_NUMBER } })).id;
    // The overrides first: a worker process reads the set of overridden senders at most every 2 s
    // (README "Pacing"), so one set later may take that long to reach it.
    expect((await put(`sms:${NUMBER_A}`, { rate_per_second: 10 })).json).toMatchObject({ key: `sms:${NUMBER_A}`, kind: 'long_code', override: 10, effective_rate: 10, paced: true });
    const gql = await f.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'x-api-key': f.apiKey },
      payload: {
        query: `mutation($input: SetSenderRateInput!) { setSenderRate(input: $input) { key kind override effectiveRate paced } }`,
        variables: { input: { businessId: f.businessId, sender: `sms:${SERVICE_B}`, ratePerSecond: 5 } },
      },
    });
    expect(gql.json()).toEqual({ data: { setSenderRate: { key: `sms:${SERVICE_B}`, kind: 'messaging_service', override: 5, effectiveRate: 5, paced: true } } });
    for (let i = 0; i < 2; i++) {
      workers.push(startWorkerProcess(f.db.url, fake, { PUBLIC_BASE_URL: publicBaseUrl, OMEGA_WORKER_CONCURRENCY: '8', OMEGA_PG_POOL_MAX: '12' }));
    }
    // Warm processes, as long-running workers are: a first send pays for connections and lazy
    // loading, and sends waiting behind it reach Twilio together (README "Pacing": the margin
    // covers 30 ms of jitter, not a cold start). From a sender without an override: unpaced.
    const warm = await f.post('/sms/send', { recipients: Array.from({ length: 8 }, (_, i) => ({ to: `+1415554${String(7000 + i)}` })), body: 'Warm-up', location_id: warmLocation });
    expect(warm.status).toBe(202);
    await waitFor('the warm-up sends', () => createsFrom(fake, WARM_NUMBER).length >= 8, 30_000, output);
  }, 60_000);
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await f?.close();
    await fake?.close();
  });
  const output = () => workers.map((w) => w.output()).join('\n---\n');

  const put = async (sender: string, body: unknown, key = f.apiKey) => {
    const res = await f.app.inject({
      method: 'PUT',
      url: `/businesses/${f.businessId}/senders/${encodeURIComponent(sender)}`,
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    return { status: res.statusCode, json: res.json() };
  };

  it('a sender at 10/s: 40 bulk SMS drained by two processes, never more than 10 in any second as Twilio receives them, each once', async () => {
    const res = await f.post('/sms/send', { recipients: Array.from({ length: 40 }, (_, i) => ({ to: `+1415555${String(7000 + i)}` })), body: 'Spring sale', location_id: f.locationA });
    expect(res.status).toBe(202);
    // Bulk to a paced sender: dated along the budget when queued, at priority 1.
    const jobs = await f.deps.pool.query(`SELECT priority, run_at FROM graphile_worker.jobs WHERE task_identifier = 'send_sms' ORDER BY run_at`);
    expect(jobs.rows.every((j) => j.priority === 1)).toBe(true);
    await waitFor('40 creates at the fake', () => createsFrom(fake, NUMBER_A).length >= 40, 30_000, output);
    const creates = createsFrom(fake, NUMBER_A);
    expect(creates).toHaveLength(40);
    expect(fake.stats()).toEqual({ creates: 48, sentMessages: 48, duplicates: 0 }); // and the warm-up's 8
    expect(busiestSecond(creates), offsets(creates)).toBeLessThanOrEqual(10);
    // Paced, not merely slow: 40 at 10/s (and the 3% margin) take about 4 s from first to last.
    const span = creates[39]!.at.getTime() - creates[0]!.at.getTime();
    expect(span).toBeGreaterThanOrEqual(3_800);
    expect(span).toBeLessThan(8_000);
    await waitFor('48 messages recorded sent', async () => (await f.deps.pool.query(`SELECT count(*)::int AS n FROM messages WHERE status = 'sent'`)).rows[0].n === 48);
  }, 45_000);

  it('a one-to-one message queued behind a bulk backlog of its sender goes out before the backlog ends', async () => {
    const before = createsFrom(fake, SERVICE_B).length;
    const bulk = await f.post('/sms/send', { recipients: Array.from({ length: 20 }, (_, i) => ({ to: `+1415556${String(7000 + i)}` })), body: 'Newsletter', location_id: f.locationB });
    expect(bulk.status).toBe(202);
    await waitFor('the backlog to start', () => createsFrom(fake, SERVICE_B).length >= before + 3, 10_000, output);
    const queuedAt = Date.now();
    const one = await f.post('/sms/send', { to: '+14155558000', body: 'Your table is ready', location_id: f.locationB });
    expect(one.status).toBe(202);
    const job = await f.deps.pool.query(`SELECT priority FROM graphile_worker.jobs WHERE key = $1`, [`send_sms:${one.json.message_ids[0]}`]);
    expect(job.rows.map((r) => r.priority)).toEqual([0]);
    await waitFor('the whole backlog and the one-to-one message', () => createsFrom(fake, SERVICE_B).length >= before + 21, 20_000, output);
    const creates = createsFrom(fake, SERVICE_B).slice(before);
    const mine = creates.findIndex((r) => r.form.get('To') === '+14155558000');
    expect(mine).toBeGreaterThan(0);
    // It went out within about a slot or two of being queued, well ahead of the backlog's end.
    expect(mine).toBeLessThan(creates.length - 5);
    expect(creates[mine]!.at.getTime() - queuedAt).toBeLessThan(2_500);
    expect(busiestSecond(creates), offsets(creates)).toBeLessThanOrEqual(5);
  }, 45_000);

  it('a 429 slows the sender down and the message goes round pacing again: sent once', async () => {
    const to = '+14155559000';
    fake.answer = (request, n) => (request.to === to && n === 1 ? { status: 429, code: 20429, message: 'Too Many Requests' } : 'accept');
    try {
      const res = await f.post('/sms/send', { to, body: 'Reminder', location_id: f.locationA });
      const id: string = res.json.message_ids[0];
      await waitFor('the message to be sent after the 429', async () => (await f.message(id)).status === 'sent', 15_000, output);
      const tries = createsFrom(fake, NUMBER_A).filter((r) => r.form.get('To') === to);
      expect(tries).toHaveLength(2);
      expect(fake.createsFor(id)).toHaveLength(1);
      // The sender's next slot was pushed a second on (less the job's lead).
      expect(tries[1]!.at.getTime() - tries[0]!.at.getTime()).toBeGreaterThanOrEqual(600);
      const events = (await f.events(id)).map((e) => e.type);
      expect(events.filter((t) => t === 'rate_limited')).toHaveLength(1);
      expect(events.filter((t) => t === 'sent')).toHaveLength(1);
      const budget = await f.deps.pool.query(`SELECT slow_level, slow_until > now() AS slowed FROM sender_budgets WHERE key = $1`, [`sms:${NUMBER_A}`]);
      expect(budget.rows[0]).toEqual({ slow_level: 1, slowed: true });
      const listed = await f.app.inject({ method: 'GET', url: `/businesses/${f.businessId}/senders`, headers: { 'x-api-key': f.apiKey } });
      expect(listed.json().items.find((s: { key: string }) => s.key === `sms:${NUMBER_A}`)).toMatchObject({ override: 10, effective_rate: 5, slow_level: 1 });
    } finally {
      fake.answer = () => 'accept';
    }
  }, 30_000);

  it('undelivered with 30001 (signed callback, real webhook route) queues the message again, paced, at most 3 times; then it stays undelivered', async () => {
    const res = await f.post('/sms/send', { to: '+14155559100', body: 'Overflow', location_id: f.locationB });
    const id: string = res.json.message_ids[0];
    for (let round = 1; round <= 4; round++) {
      await waitFor(`send ${round}`, async () => fake.createsFor(id).length === round && (await f.message(id)).status === 'sent', 15_000, output);
      const sid = fake.createsFor(id)[round - 1]!.sid;
      fake.setStatus(sid, 'undelivered', 30001);
      expect(await fake.postStatusCallback(sid)).toBe(200);
      if (round <= 3) await waitFor(`queued again after overflow ${round}`, async () => fake.createsFor(id).length === round + 1, 15_000, output);
    }
    await waitFor('undelivered for good', async () => (await f.message(id)).status === 'undelivered');
    // Nothing more is sent (the fourth overflow is final).
    await new Promise((r) => setTimeout(r, 2_500));
    expect(fake.createsFor(id)).toHaveLength(4);
    const message = await f.message(id);
    expect(message.status).toBe('undelivered');
    expect(message.errorCode).toBe('30001');
    const events = await f.events(id);
    expect(events.filter((e) => e.type === 'requeued_overflow')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'requeued_overflow').every((e) => e.status === 'queued')).toBe(true);
    const budget = await f.deps.pool.query(`SELECT slow_level FROM sender_budgets WHERE key = $1`, [`sms:${SERVICE_B}`]);
    expect(budget.rows[0].slow_level).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

describe('the senders API (GraphQL and REST)', () => {
  let f: SendingFixture;
  let service: string;
  let other: { id: string; apiKey: string };
  let locationC: string;

  beforeAll(async () => {
    f = await startSendingFixture({ pacing: AUTO });
    service = await createServiceKey(f.deps);
    other = await createBusiness(f.deps, 'other');
    await f.deps.prisma.location.create({ data: { businessId: 'other', name: 'Elsewhere', timeZone: 'UTC', smsPhoneNumber: '+18005550100' } });
    // No sender of its own: it uses the configured defaults (the sandbox's number, and OMEGA_EMAIL_FROM's domain).
    locationC = (await f.deps.prisma.location.create({ data: { businessId: f.businessId, name: 'Annex', timeZone: 'UTC' } })).id;
  });
  afterAll(async () => f?.close());

  const rest = async (method: 'GET' | 'PUT', url: string, body?: unknown, key = f.apiKey) => {
    const res = await f.app.inject({
      method,
      url,
      headers: { 'x-api-key': key, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, json: res.json() };
  };
  const gql = async (query: string, variables: Record<string, unknown>, key = f.apiKey) =>
    (await f.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': key }, payload: { query, variables } })).json();

  it("lists the business's senders with their kinds, defaults and pacing", async () => {
    const listed = await rest('GET', `/businesses/${f.businessId}/senders`);
    expect(listed.status).toBe(200);
    const byKey = Object.fromEntries(listed.json.items.map((s: { key: string }) => [s.key, s]));
    expect(Object.keys(byKey).sort()).toEqual(['email:sandbox.omega.local', 'email:spa.test', `sms:${NUMBER_A}`, `sms:${SERVICE_B}`].sort());
    expect(byKey[`sms:${NUMBER_A}`]).toMatchObject({ channel: 'sms', kind: 'long_code', shared: false, default_rate: 1, override: null, effective_rate: 1, paced: false, slow_level: 0 });
    expect(byKey[`sms:${NUMBER_A}`].location_ids.sort()).toEqual([f.locationA, locationC].sort());
    expect(byKey[`sms:${SERVICE_B}`]).toMatchObject({ kind: 'messaging_service', default_rate: 10 });
    expect(byKey['email:spa.test']).toMatchObject({ kind: 'email', default_rate: 5, shared: false });
    expect(byKey['email:sandbox.omega.local']).toMatchObject({ shared: true, location_ids: [locationC] });

    const q = await gql(`query($b: String!) { senders(businessId: $b) { key kind channel defaultRate override effectiveRate paced shared } }`, { b: f.businessId });
    expect(q.data.senders).toHaveLength(4);
    expect(q.data.senders.find((s: { key: string }) => s.key === `sms:${SERVICE_B}`)).toEqual({
      key: `sms:${SERVICE_B}`,
      kind: 'messaging_service',
      channel: 'sms',
      defaultRate: 10,
      override: null,
      effectiveRate: 10,
      paced: false,
      shared: false,
    });
  });

  it('sets and clears an override (an override makes a sandbox sender paced); bounded input', async () => {
    const set = await rest('PUT', `/businesses/${f.businessId}/senders/${encodeURIComponent(`sms:${NUMBER_A}`)}`, { rate_per_second: 2.5 });
    expect(set).toMatchObject({ status: 200, json: { key: `sms:${NUMBER_A}`, override: 2.5, effective_rate: 2.5, paced: true } });
    const cleared = await gql(`mutation($i: SetSenderRateInput!) { setSenderRate(input: $i) { override effectiveRate } }`, {
      i: { businessId: f.businessId, sender: `sms:${NUMBER_A}`, ratePerSecond: null },
    });
    expect(cleared.data.setSenderRate).toEqual({ override: null, effectiveRate: 1 });
    const url = `/businesses/${f.businessId}/senders/${encodeURIComponent(`sms:${NUMBER_A}`)}`;
    for (const body of [{ rate_per_second: 0 }, { rate_per_second: 1001 }, { rate_per_second: 'fast' }, { rate_per_second: 1, burst: 3 }, {}]) {
      const bad = await rest('PUT', url, body);
      expect(bad.status, JSON.stringify(body)).toBe(422);
      expect(Array.isArray(bad.json.detail)).toBe(true);
    }
    const malformed = await rest('PUT', `/businesses/${f.businessId}/senders/${encodeURIComponent('sms:not-a-number')}`, { rate_per_second: 1 });
    expect(malformed.status).toBe(422);
    expect(malformed.json.detail[0].loc).toEqual(['path', 'sender']);
    const badGql = await gql(`mutation($i: SetSenderRateInput!) { setSenderRate(input: $i) { override } }`, { i: { businessId: f.businessId, sender: `sms:${NUMBER_A}`, ratePerSecond: 0.01 } });
    expect(badGql.errors[0].extensions.code).toBe('VALIDATION_FAILED');
  });

  it("refuses another business's sender (404) and leaves the shared default to service keys (403)", async () => {
    const foreign = await rest('PUT', `/businesses/${f.businessId}/senders/${encodeURIComponent('sms:+18005550100')}`, { rate_per_second: 3 });
    expect(foreign).toMatchObject({ status: 404, json: { code: 'SENDER_NOT_FOUND' } });
    // Its own business may, and sees it as toll-free.
    const own = await rest('PUT', `/businesses/other/senders/${encodeURIComponent('sms:+18005550100')}`, { rate_per_second: 3 }, other.apiKey);
    expect(own).toMatchObject({ status: 200, json: { kind: 'toll_free', default_rate: 3, override: 3 } });
    expect((await rest('GET', `/businesses/other/senders`, undefined, f.apiKey)).status).toBe(403);
    const viaGql = await gql(`mutation($i: SetSenderRateInput!) { setSenderRate(input: $i) { override } }`, { i: { businessId: f.businessId, sender: 'sms:+18005550100', ratePerSecond: 3 } });
    expect(viaGql.errors[0].extensions.code).toBe('SENDER_NOT_FOUND');

    const shared = `/businesses/${f.businessId}/senders/${encodeURIComponent('email:sandbox.omega.local')}`;
    expect(await rest('PUT', shared, { rate_per_second: 4 })).toMatchObject({ status: 403, json: { code: 'SENDER_SHARED' } });
    expect(await rest('PUT', shared, { rate_per_second: 4 }, service)).toMatchObject({ status: 200, json: { override: 4, shared: true } });

    // A messaging service that another business's location sends from too: neither business may
    // slow down the other's sends; a service key may.
    await f.deps.prisma.location.create({ data: { businessId: 'other', name: 'Same service', timeZone: 'UTC', messagingServiceSid: SERVICE_B } });
    const both = `/businesses/${f.businessId}/senders/${encodeURIComponent(`sms:${SERVICE_B}`)}`;
    expect(await rest('PUT', both, { rate_per_second: 4 })).toMatchObject({ status: 403, json: { code: 'SENDER_SHARED' } });
    expect(await rest('PUT', `/businesses/other/senders/${encodeURIComponent(`sms:${SERVICE_B}`)}`, { rate_per_second: 4 }, other.apiKey)).toMatchObject({ status: 403 });
    expect(await rest('PUT', both, { rate_per_second: 4 }, service)).toMatchObject({ status: 200, json: { override: 4 } });
    expect(await rest('PUT', both, { rate_per_second: null }, service)).toMatchObject({ status: 200, json: { override: null } });
  });
});

describe('unpaced senders (the sandbox, a fake Twilio: OMEGA_PACING=auto without an override)', () => {
  let f: SendingFixture;
  beforeAll(async () => {
    f = await startSendingFixture({ pacing: AUTO });
  });
  afterAll(async () => f?.close());

  it('are sent without a single pacing statement, and leave sender_budgets empty', async () => {
    const statements: string[] = [];
    const counting: Sql = {
      query: (statement, values) => {
        statements.push(typeof statement === 'string' ? statement : statement.name);
        return f.deps.sql.query(statement, values);
      },
      eventsWritten: (ids) => f.deps.sql.eventsWritten(ids),
    };
    const deps: Deps = { ...f.deps, sql: counting };
    const res = await f.post('/sms/send', { recipients: Array.from({ length: 20 }, (_, i) => ({ to: `+1415557${String(7000 + i)}` })), body: 'Hello', location_id: f.locationA });
    expect(res.status).toBe(202);
    // Queued in bulk, not spread: due now.
    const { rows: due } = await f.deps.pool.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'send_sms' AND run_at <= now() AND priority = 1`);
    expect(due[0].n).toBe(20);
    await f.runJobs(deps);
    // The sandbox reports delivery at once here (OMEGA_SANDBOX_REPORT_DELAY_MS 0).
    const { rows } = await f.deps.pool.query(`SELECT count(*)::int AS n FROM messages WHERE status IN ('sent', 'delivered')`);
    expect(rows[0].n).toBe(20);
    expect(statements.filter((s) => /omega_pace_send|omega_reserve_sender_places|omega_slow_sender|omega_select_message_sender/.test(s))).toEqual([]);
    // At most the per-process cache of overridden senders (one read per 2 s), never one per send.
    expect(statements.filter((s) => s.includes('sender_budgets')).length).toBeLessThanOrEqual(2);
    expect((await f.deps.pool.query(`SELECT count(*)::int AS n FROM sender_budgets`)).rows[0].n).toBe(0);
  });
});
