// The delivery log of outbound webhooks over REST and GraphQL: deliveries of an endpoint and of an
// event, one delivery with its attempts, redeliver, replay from a cursor or a time. Endpoints,
// deliveries and attempts are written straight to the database here (the endpoint CRUD and the
// deliverer are tested on their own).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import { newWebhookSecret, sealSecret } from '../../src/domain/outboundWebhooks/secretBox.js';
import { buildInbox } from '../helpers/inboxFixture.js';
import { queuedJobs } from '../helpers/jobs.js';
import { createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';

interface Delivery {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  event_cursor: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  trigger: string;
  delivered_at: string | null;
}

interface LogEvent {
  id: string;
  xid: string;
  type: string;
  cursor: string;
}

describe('the webhook delivery log', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let serviceKey: string;
  let session: string;
  /** Every endpoint, deliveries of every event; `typed` only conversation.* events. */
  let all: string;
  let typed: string;
  let otherEndpoint: string;
  let otherDelivery: string;
  let otherEvent: string;
  let events: LogEvent[];
  /** Deliveries of `all`, by event index. */
  const allDeliveries: string[] = [];

  const api = (method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = { 'x-api-key': key }) =>
    t.app.inject({ method, url: `/businesses/${path}`, headers, ...(body === undefined ? {} : { payload: body as Record<string, unknown> }) });
  const gql = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = { 'x-api-key': key }) =>
    (await t.app.inject({ method: 'POST', url: '/graphql', payload: { query, variables }, headers })).json() as {
      data?: any;
      errors?: { message: string; extensions: { code: string; issues?: { loc: unknown[] }[] } }[];
    };

  /** The business's events in log order. */
  const logOf = async (businessId: string): Promise<LogEvent[]> =>
    (
      await t.deps.pool.query<LogEvent>(`SELECT e.id::text, e.xid::text, e.type, e.xid::text || ':' || e.id::text AS cursor FROM inbox_events e WHERE e.business_id = $1 ORDER BY e.xid, e.id`, [
        businessId,
      ])
    ).rows;
  /** An endpoint whose dispatcher has queued every event committed so far (its cursor is past them). */
  const insertEndpoint = async (businessId: string, eventTypes: string[] = [], enabled = true) =>
    (
      await t.deps.pool.query<{ id: string }>(
        `INSERT INTO webhook_endpoints (business_id, url, event_types, enabled, secret_encrypted, cursor_xid, cursor_id)
         VALUES ($1, 'https://hooks.example.com/omega', $2, $3, $4, pg_current_xact_id(), 0) RETURNING id::text`,
        [businessId, eventTypes, enabled, sealSecret(t.deps.outboundWebhooks.secretKey, newWebhookSecret())],
      )
    ).rows[0]!.id;
  const insertDelivery = async (
    businessId: string,
    endpointId: string,
    eventId: string,
    fields: { status?: string; attempts?: number; lastStatusCode?: number | null; lastError?: string | null; delivered?: boolean } = {},
  ) =>
    (
      await t.deps.pool.query<{ id: string }>(
        `INSERT INTO webhook_deliveries (business_id, endpoint_id, event_id, status, attempts, last_status_code, last_error, delivered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8 THEN now() END) RETURNING id::text`,
        [businessId, endpointId, eventId, fields.status ?? 'delivered', fields.attempts ?? 1, fields.lastStatusCode ?? 200, fields.lastError ?? null, fields.delivered ?? fields.status === undefined],
      )
    ).rows[0]!.id;
  const deliveriesOf = async (endpointId: string, trigger: string) =>
    (
      await t.deps.pool.query<{ id: string; event_id: string; status: string }>(
        `SELECT d.id::text, d.event_id::text, d.status FROM webhook_deliveries d WHERE d.endpoint_id = $1 AND d.trigger = $2 ORDER BY d.id`,
        [endpointId, trigger],
      )
    ).rows;
  const wakes = async () => (await queuedJobs(t.deps.pool)).filter((j) => j.task_identifier === 'deliver_webhooks').map((j) => j.payload.endpointId as string);
  const clearJobs = () => t.deps.pool.query(`DELETE FROM graphile_worker._private_jobs`);
  const addEvent = (type: string, payload: Record<string, unknown> = {}) =>
    t.deps.pool.query(`INSERT INTO inbox_events (business_id, type, payload) VALUES ('dl', $1, $2)`, [type, JSON.stringify(payload)]);
  /** The dispatcher has queued everything committed so far. */
  const catchUp = (endpointId: string) => t.deps.pool.query(`UPDATE webhook_endpoints SET cursor_xid = pg_current_xact_id(), cursor_id = 0 WHERE id = $1`, [endpointId]);

  beforeAll(async () => {
    t = await startTestApp();
    const inbox = await buildInbox(t.deps, 'dl', [
      {
        client: { firstName: 'Rosa', lastName: 'Mitchell', phone: '+14155550101' },
        messages: [
          { direction: 'inbound', body: 'Hi', minutesAgo: 30 },
          { direction: 'outbound', body: 'Hello Rosa', minutesAgo: 20 },
        ],
      },
    ]);
    for (const payload of [
      { change: 'status', status: 'archived' },
      { change: 'assignment', assigneeId: null },
    ]) {
      await t.deps.pool.query(`INSERT INTO inbox_events (business_id, type, conversation_id, payload) VALUES ('dl', 'conversation.updated', $1, $2)`, [
        inbox.conversations[0]!.conversationId,
        JSON.stringify(payload),
      ]);
    }
    await buildInbox(t.deps, 'dl-other', [{ client: { firstName: 'Sam', lastName: 'Ortiz', phone: '+14155550102' }, messages: [{ direction: 'inbound', body: 'Yo', minutesAgo: 5 }] }]);
    key = (await createApiKey(t.deps, { name: 'dl', businessId: 'dl' })).key;
    otherKey = (await createApiKey(t.deps, { name: 'dl-other', businessId: 'dl-other' })).key;
    serviceKey = await createServiceKey(t.deps);
    const token = await t.app.inject({ method: 'POST', url: '/auth/token', headers: { 'x-api-key': key }, payload: { business_id: 'dl', staff_id: inbox.staff[0]!.id } });
    session = token.json().access_token;

    events = await logOf('dl');
    expect(events.map((e) => e.type)).toEqual(['message.created', 'message.created', 'conversation.updated', 'conversation.updated']);
    all = await insertEndpoint('dl');
    typed = await insertEndpoint('dl', ['conversation.updated', 'conversation.read']);
    for (const [i, e] of events.entries()) {
      // The first event took three attempts (a timeout, a 503, then a 200); the last one is still retrying.
      const last = i === events.length - 1;
      allDeliveries.push(await insertDelivery('dl', all, e.id, last ? { status: 'pending', attempts: 1, lastStatusCode: 503, lastError: 'HTTP 503' } : { attempts: i === 0 ? 3 : 1 }));
      if (e.type === 'conversation.updated') await insertDelivery('dl', typed, e.id, { status: 'failed', attempts: 12, lastStatusCode: 500, lastError: 'HTTP 500' });
    }
    const attempts = [
      { status: null, latency: 10_000, error: 'timed out after 10000 ms', body: null },
      { status: 503, latency: 87, error: 'HTTP 503', body: 'upstream unavailable' },
      { status: 200, latency: 41, error: null, body: 'ok' },
    ];
    for (const a of attempts) {
      await t.deps.pool.query(`INSERT INTO webhook_attempts (business_id, endpoint_id, delivery_id, status_code, latency_ms, error, response_body) VALUES ('dl', $1, $2, $3, $4, $5, $6)`, [
        all,
        allDeliveries[0],
        a.status,
        a.latency,
        a.error,
        a.body,
      ]);
    }
    otherEndpoint = await insertEndpoint('dl-other');
    otherEvent = (await logOf('dl-other'))[0]!.id;
    otherDelivery = await insertDelivery('dl-other', otherEndpoint, otherEvent);
  });
  afterAll(() => t.close());

  describe('REST', () => {
    it("lists an endpoint's deliveries newest first, paged by cursor, with their events, in one status", async () => {
      const first = await api('GET', `dl/webhooks/${all}/deliveries?page_size=3`);
      expect(first.statusCode, first.body).toBe(200);
      const body = first.json() as { items: Delivery[]; total: number; page: number; page_size: number; next_cursor: string | null };
      expect(body).toMatchObject({ total: 4, page: 1, page_size: 3, next_cursor: allDeliveries[1] });
      expect(body.items.map((d) => d.id)).toEqual([...allDeliveries].reverse().slice(0, 3));
      expect(body.items[0]).toEqual({
        id: allDeliveries[3],
        webhook_id: all,
        event_id: `evt_${events[3]!.id}`,
        event_type: 'conversation.updated',
        event_cursor: events[3]!.cursor,
        status: 'pending',
        attempts: 1,
        next_attempt_at: expect.any(String),
        last_status_code: 503,
        last_error: 'HTTP 503',
        trigger: 'event',
        delivered_at: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(body.items[1]).toMatchObject({ status: 'delivered', next_attempt_at: null, delivered_at: expect.any(String) });
      const rest = (await api('GET', `dl/webhooks/${all}/deliveries?page_size=3&cursor=${body.next_cursor}`)).json();
      expect(rest).toMatchObject({ total: 4, next_cursor: null });
      expect(rest.items.map((d: Delivery) => d.id)).toEqual([allDeliveries[0]]);
      // By page number, and by status.
      expect((await api('GET', `dl/webhooks/${all}/deliveries?page_size=3&page=2`)).json().items.map((d: Delivery) => d.id)).toEqual([allDeliveries[0]]);
      const pending = (await api('GET', `dl/webhooks/${all}/deliveries?status=pending`)).json();
      expect(pending).toMatchObject({ total: 1, items: [{ id: allDeliveries[3] }] });
      expect((await api('GET', `dl/webhooks/${typed}/deliveries?status=delivered`)).json()).toMatchObject({ total: 0, items: [] });
    });

    it("lists an event's deliveries to every endpoint of the business", async () => {
      const res = await api('GET', `dl/events/evt_${events[2]!.id}/deliveries`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().items.map((d: Delivery) => [d.webhook_id, d.status])).toEqual([
        [typed, 'failed'],
        [all, 'delivered'],
      ]);
      // The bare number names the event too.
      expect((await api('GET', `dl/events/${events[2]!.id}/deliveries`)).json().total).toBe(2);
      expect((await api('GET', `dl/events/evt_${events[0]!.id}/deliveries`)).json().items.map((d: Delivery) => d.webhook_id)).toEqual([all]);
    });

    it('shows one delivery with every attempt, oldest first', async () => {
      const res = await api('GET', `dl/webhooks/${all}/deliveries/${allDeliveries[0]}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id: allDeliveries[0], attempts: 3, event_id: `evt_${events[0]!.id}`, event_type: 'message.created' });
      expect(res.json().attempt_log.map((a: Record<string, unknown>) => [a['status_code'], a['latency_ms'], a['error'], a['response_body']])).toEqual([
        [null, 10_000, 'timed out after 10000 ms', null],
        [503, 87, 'HTTP 503', 'upstream unavailable'],
        [200, 41, null, 'ok'],
      ]);
      expect(res.json().attempt_log[0]).toMatchObject({ delivery_id: allDeliveries[0], created_at: expect.any(String), id: expect.any(String) });
      // Another endpoint's delivery is not found under this endpoint.
      expect((await api('GET', `dl/webhooks/${typed}/deliveries/${allDeliveries[0]}`)).statusCode).toBe(404);
    });

    it('redelivers one delivery: a new pending delivery of the same event, the deliverer woken; the original kept', async () => {
      await clearJobs();
      const res = await api('POST', `dl/webhooks/${all}/deliveries/${allDeliveries[1]}/redeliver`);
      expect(res.statusCode, res.body).toBe(202);
      const created = res.json() as Delivery;
      expect(created).toMatchObject({ webhook_id: all, event_id: `evt_${events[1]!.id}`, status: 'pending', attempts: 0, trigger: `redeliver:${allDeliveries[1]}`, last_status_code: null });
      expect(BigInt(created.id)).toBeGreaterThan(BigInt(allDeliveries[3]!));
      expect(await wakes()).toEqual([all]);
      expect((await api('GET', `dl/webhooks/${all}/deliveries/${allDeliveries[1]}`)).json()).toMatchObject({ status: 'delivered', trigger: 'event' });
      // The event's deliveries now list it too.
      expect((await api('GET', `dl/events/evt_${events[1]!.id}/deliveries`)).json().items.map((d: Delivery) => d.trigger)).toEqual([`redeliver:${allDeliveries[1]}`, 'event']);
    });

    it('replays from a cursor: every later event the endpoint subscribes to, in log order, the deliverer woken', async () => {
      await clearJobs();
      const res = await api('POST', `dl/webhooks/${all}/replay`, { after: events[0]!.cursor });
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json()).toEqual({ queued: 3, next_cursor: null });
      expect((await deliveriesOf(all, 'replay')).map((d) => [d.event_id, d.status])).toEqual(events.slice(1).map((e) => [e.id, 'pending']));
      expect(await wakes()).toEqual([all]);
      // The typed endpoint gets only its types.
      const typedReplay = await api('POST', `dl/webhooks/${typed}/replay`, { after: events[0]!.cursor });
      expect(typedReplay.json()).toEqual({ queued: 2, next_cursor: null });
      expect((await deliveriesOf(typed, 'replay')).map((d) => d.event_id)).toEqual([events[2]!.id, events[3]!.id]);
      expect((await wakes()).sort()).toEqual([all, typed].sort());
    });

    it('replays in batches of max_events, next_cursor continuing', async () => {
      const endpoint = await insertEndpoint('dl');
      const one = await api('POST', `dl/webhooks/${endpoint}/replay`, { after: '0:0', max_events: 3 });
      expect(one.json()).toEqual({ queued: 3, next_cursor: events[2]!.cursor });
      const two = await api('POST', `dl/webhooks/${endpoint}/replay`, { after: one.json().next_cursor, max_events: 3 });
      expect(two.json()).toEqual({ queued: 1, next_cursor: null });
      expect((await deliveriesOf(endpoint, 'replay')).map((d) => d.event_id)).toEqual(events.map((e) => e.id));
      // Nothing after the end: nothing queued.
      expect((await api('POST', `dl/webhooks/${endpoint}/replay`, { after: events[3]!.cursor })).json()).toEqual({ queued: 0, next_cursor: null });
    });

    it('orders by number, not by text, where ids gain a digit (96 … 110, one transaction)', async () => {
      await t.deps.prisma.business.create({ data: { id: 'dl-many', name: 'Many' } });
      const manyKey = (await createApiKey(t.deps, { name: 'many', businessId: 'dl-many' })).key;
      await t.deps.pool.query(`SELECT setval('inbox_events_id_seq', greatest(95, (SELECT max(id) FROM inbox_events)))`);
      await t.deps.pool.query(`INSERT INTO inbox_events (business_id, type, payload) SELECT 'dl-many', 'conversation.read', '{}' FROM generate_series(1, 15)`);
      const many = await logOf('dl-many');
      expect(new Set(many.map((e) => e.id.length)).size).toBe(2);
      const endpoint = await insertEndpoint('dl-many');
      const replay = (body: unknown) => api('POST', `dl-many/webhooks/${endpoint}/replay`, body, { 'x-api-key': manyKey });
      expect((await replay({ after: '0:0', max_events: 10 })).json()).toEqual({ queued: 10, next_cursor: many[9]!.cursor });
      expect((await replay({ after: many[9]!.cursor })).json()).toEqual({ queued: 5, next_cursor: null });
      const queued = await deliveriesOf(endpoint, 'replay');
      expect(queued.map((d) => d.event_id)).toEqual(many.map((e) => e.id));
      const since = await replay({ since: new Date(Date.now() - 60_000).toISOString(), max_events: 15 });
      expect(since.json()).toEqual({ queued: 15, next_cursor: many[14]!.cursor });
      const listed = (await api('GET', `dl-many/webhooks/${endpoint}/deliveries?page_size=100`, undefined, { 'x-api-key': manyKey })).json().items as Delivery[];
      expect(listed.map((d) => d.id)).toEqual([...(await deliveriesOf(endpoint, 'replay')).map((d) => d.id)].reverse());
    });

    it('replays from a time, and stops at the events the dispatcher has not reached (it queues those itself)', async () => {
      const endpoint = await insertEndpoint('dl', ['conversation.read', 'client.updated']);
      const since = (await t.deps.pool.query<{ now: Date }>(`SELECT now()`)).rows[0]!.now;
      await new Promise((r) => setTimeout(r, 20));
      await addEvent('conversation.read', { read: true, unreadCount: 0 });
      await addEvent('message.created', { channel: 'note' });
      await addEvent('client.updated', { consent: 'sms_opt_out' });
      // Not dispatched yet: a replay queues none of them.
      expect((await api('POST', `dl/webhooks/${endpoint}/replay`, { since: since.toISOString() })).json()).toEqual({ queued: 0, next_cursor: null });
      await catchUp(endpoint);
      await addEvent('conversation.read', { read: false });
      const res = await api('POST', `dl/webhooks/${endpoint}/replay`, { since: since.toISOString() });
      expect(res.json()).toEqual({ queued: 2, next_cursor: null });
      const log = await logOf('dl');
      const recent = log.slice(events.length, events.length + 3);
      expect((await deliveriesOf(endpoint, 'replay')).map((d) => d.event_id)).toEqual([recent[0]!.id, recent[2]!.id]);
      // A time after everything queues nothing.
      expect((await api('POST', `dl/webhooks/${endpoint}/replay`, { since: new Date(Date.now() + 60_000).toISOString() })).json()).toEqual({ queued: 0, next_cursor: null });
    });

    it('refuses a replay without exactly one of after and since, a time beyond the retention, a malformed cursor, a bad max_events', async () => {
      const cases: [unknown, unknown[]][] = [
        [{}, ['body', 'after']],
        [{ after: events[0]!.cursor, since: new Date().toISOString() }, ['body', 'after']],
        [{ since: new Date(Date.now() - 31 * 86_400_000).toISOString() }, ['body', 'since']],
        [{ after: 'last tuesday' }, ['body', 'after']],
        [{ after: events[0]!.cursor, max_events: 10_001 }, ['body', 'max_events']],
        [{ after: events[0]!.cursor, max_events: 0 }, ['body', 'max_events']],
        [{ after: events[0]!.cursor, before: 'x' }, ['body', 'before']],
      ];
      for (const [body, loc] of cases) {
        const res = await api('POST', `dl/webhooks/${all}/replay`, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(422);
        expect(res.json().detail[0].loc, JSON.stringify(body)).toEqual(loc);
      }
      expect((await api('GET', `dl/webhooks/${all}/deliveries?cursor=abc`)).statusCode).toBe(422);
      expect((await api('GET', `dl/webhooks/not-a-uuid/deliveries`)).json().detail[0].loc).toEqual(['path', 'webhook_id']);
      expect((await api('GET', `dl/events/evt_x/deliveries`)).json().detail[0].loc).toEqual(['path', 'event_id']);
    });

    it('refuses to redeliver or replay to a disabled endpoint (409)', async () => {
      const disabled = await insertEndpoint('dl', [], false);
      const delivery = await insertDelivery('dl', disabled, events[0]!.id, { status: 'pending', attempts: 0, lastStatusCode: null });
      const redeliver = await api('POST', `dl/webhooks/${disabled}/deliveries/${delivery}/redeliver`);
      expect(redeliver.statusCode).toBe(409);
      expect(redeliver.json().code).toBe('WEBHOOK_ENDPOINT_DISABLED');
      expect((await api('POST', `dl/webhooks/${disabled}/replay`, { after: '0:0' })).json().code).toBe('WEBHOOK_ENDPOINT_DISABLED');
      expect((await api('GET', `dl/webhooks/${disabled}/deliveries`)).json().items.map((d: Delivery) => d.status)).toEqual(['pending']);
    });

    it('lets a session read the log but not redeliver or replay', async () => {
      const bearer = { authorization: `Bearer ${session}` };
      expect((await api('GET', `dl/webhooks/${all}/deliveries`, undefined, bearer)).statusCode).toBe(200);
      expect((await api('GET', `dl/webhooks/${all}/deliveries/${allDeliveries[0]}`, undefined, bearer)).statusCode).toBe(200);
      expect((await api('GET', `dl/events/evt_${events[0]!.id}/deliveries`, undefined, bearer)).statusCode).toBe(200);
      for (const res of [
        await api('POST', `dl/webhooks/${all}/deliveries/${allDeliveries[0]}/redeliver`, undefined, bearer),
        await api('POST', `dl/webhooks/${all}/replay`, { after: '0:0' }, bearer),
      ]) {
        expect(res.statusCode).toBe(403);
        expect(res.json().code).toBe('API_KEY_REQUIRED');
      }
    });

    it("answers 404 for another business's endpoint, delivery or event, 403 for another business's key", async () => {
      for (const headers of [{ 'x-api-key': key }, { 'x-api-key': serviceKey }]) {
        const checks: [Promise<{ statusCode: number; json(): { code: string } }>, string][] = [
          [api('GET', `dl/webhooks/${otherEndpoint}/deliveries`, undefined, headers), 'WEBHOOK_ENDPOINT_NOT_FOUND'],
          [api('GET', `dl/webhooks/${otherEndpoint}/deliveries/${otherDelivery}`, undefined, headers), 'WEBHOOK_DELIVERY_NOT_FOUND'],
          [api('GET', `dl/webhooks/${all}/deliveries/${otherDelivery}`, undefined, headers), 'WEBHOOK_DELIVERY_NOT_FOUND'],
          [api('POST', `dl/webhooks/${otherEndpoint}/deliveries/${otherDelivery}/redeliver`, undefined, headers), 'WEBHOOK_DELIVERY_NOT_FOUND'],
          [api('POST', `dl/webhooks/${otherEndpoint}/replay`, { after: '0:0' }, headers), 'WEBHOOK_ENDPOINT_NOT_FOUND'],
          [api('GET', `dl/events/evt_${otherEvent}/deliveries`, undefined, headers), 'EVENT_NOT_FOUND'],
          [api('GET', `dl/webhooks/00000000-0000-4000-8000-000000000000/deliveries`, undefined, headers), 'WEBHOOK_ENDPOINT_NOT_FOUND'],
        ];
        for (const [request, code] of checks) {
          const res = await request;
          expect(res.statusCode).toBe(404);
          expect(res.json().code).toBe(code);
        }
      }
      const foreign = await api('GET', `dl-other/webhooks/${otherEndpoint}/deliveries`);
      expect(foreign.statusCode).toBe(403);
      expect((await api('GET', `dl-other/webhooks/${otherEndpoint}/deliveries`, undefined, { 'x-api-key': otherKey })).json().total).toBe(1);
      // Nothing was queued for the other business.
      expect(await deliveriesOf(otherEndpoint, 'replay')).toEqual([]);
    });

    it('answers 410 CURSOR_EXPIRED to a replay from a cursor older than the log keeps', async () => {
      const log = await logOf('dl');
      await t.deps.pool.query(`INSERT INTO inbox_event_horizons (business_id, xid, event_id) VALUES ('dl', $1, $2)`, [log[1]!.xid, log[1]!.id]);
      try {
        const res = await api('POST', `dl/webhooks/${all}/replay`, { after: log[0]!.cursor });
        expect(res.statusCode).toBe(410);
        expect(res.json().code).toBe('CURSOR_EXPIRED');
      } finally {
        await t.deps.pool.query(`DELETE FROM inbox_event_horizons WHERE business_id = 'dl'`);
      }
    });
  });

  describe('GraphQL', () => {
    const DELIVERIES = `query ($b: String!, $endpoint: String, $event: String, $status: WebhookDeliveryStatus, $first: Int, $after: String) {
      webhookDeliveries(businessId: $b, endpointId: $endpoint, eventId: $event, status: $status, first: $first, after: $after) {
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id endpointId eventId eventType eventCursor status attempts trigger lastStatusCode attemptLog { statusCode latencyMs error responseBody } } }
      }
    }`;

    it('lists, pages and filters deliveries with their attempts', async () => {
      const first = await gql(DELIVERIES, { b: 'dl', endpoint: all, status: 'delivered', first: 2 });
      expect(first.errors).toBeUndefined();
      const conn = first.data.webhookDeliveries;
      expect(conn.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([allDeliveries[2], allDeliveries[1]]);
      expect(conn.pageInfo).toEqual({ hasNextPage: true, endCursor: allDeliveries[1] });
      const next = (await gql(DELIVERIES, { b: 'dl', endpoint: all, status: 'delivered', first: 2, after: conn.pageInfo.endCursor })).data.webhookDeliveries;
      expect(next.pageInfo.hasNextPage).toBe(false);
      expect(next.edges[0].node).toMatchObject({ id: allDeliveries[0], eventId: `evt_${events[0]!.id}`, eventCursor: events[0]!.cursor, attempts: 3, status: 'delivered', trigger: 'event' });
      expect(next.edges[0].node.attemptLog.map((a: { statusCode: number | null }) => a.statusCode)).toEqual([null, 503, 200]);
      const byEvent = (await gql(DELIVERIES, { b: 'dl', event: `evt_${events[3]!.id}`, first: 10 })).data.webhookDeliveries;
      expect(byEvent.edges.map((e: { node: { endpointId: string } }) => e.node.endpointId)).toContain(typed);
      // Backward: the last page before a cursor is the deliveries just newer than it, in list order.
      const backward = await gql(
        `query ($b: String!, $endpoint: String, $last: Int, $before: String) { webhookDeliveries(businessId: $b, endpointId: $endpoint, status: delivered, last: $last, before: $before) { edges { node { id } } } }`,
        { b: 'dl', endpoint: all, last: 1, before: allDeliveries[0] },
      );
      expect(backward.errors).toBeUndefined();
      expect(backward.data.webhookDeliveries.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([allDeliveries[1]]);
      // Neither an endpoint nor an event: the field names what is missing.
      const neither = await gql(DELIVERIES, { b: 'dl', first: 1 });
      expect(neither.errors![0]!.extensions.code).toBe('VALIDATION_FAILED');
      expect(neither.errors![0]!.extensions.issues![0]!.loc).toEqual(['endpointId']);
    });

    it('gets one delivery; another business’s is NOT_FOUND, another business’s key FORBIDDEN', async () => {
      const one = await gql(`query ($b: String!, $id: String!) { webhookDelivery(businessId: $b, id: $id) { id status attemptLog { latencyMs } } }`, { b: 'dl', id: allDeliveries[0] });
      expect(one.data.webhookDelivery).toEqual({ id: allDeliveries[0], status: 'delivered', attemptLog: [{ latencyMs: 10_000 }, { latencyMs: 87 }, { latencyMs: 41 }] });
      const foreign = await gql(`query ($b: String!, $id: String!) { webhookDelivery(businessId: $b, id: $id) { id } }`, { b: 'dl', id: otherDelivery });
      expect(foreign.errors![0]!.extensions.code).toBe('WEBHOOK_DELIVERY_NOT_FOUND');
      const forbidden = await gql(`query ($b: String!, $id: String!) { webhookDelivery(businessId: $b, id: $id) { id } }`, { b: 'dl-other', id: otherDelivery });
      expect(forbidden.errors![0]!.extensions.code).toBe('FORBIDDEN');
      const otherEndpointList = await gql(DELIVERIES, { b: 'dl', endpoint: otherEndpoint, first: 1 });
      expect(otherEndpointList.errors![0]!.extensions.code).toBe('WEBHOOK_ENDPOINT_NOT_FOUND');
    });

    it('redelivers and replays with an API key; a session may not', async () => {
      await clearJobs();
      const redelivered = await gql(
        `mutation ($b: String!, $d: String!) { redeliverWebhookDelivery(input: { businessId: $b, deliveryId: $d }) { id status trigger eventId endpointId attemptLog { id } } }`,
        {
          b: 'dl',
          d: allDeliveries[2],
        },
      );
      expect(redelivered.data.redeliverWebhookDelivery).toMatchObject({
        status: 'pending',
        trigger: `redeliver:${allDeliveries[2]}`,
        eventId: `evt_${events[2]!.id}`,
        endpointId: all,
        attemptLog: [],
      });
      expect(await wakes()).toEqual([all]);
      const endpoint = await insertEndpoint('dl', ['message.created']);
      const replayed = await gql(`mutation ($b: String!, $e: String!) { replayWebhookEndpoint(input: { businessId: $b, endpointId: $e, after: "0:0", maxEvents: 1 }) { queued nextCursor } }`, {
        b: 'dl',
        e: endpoint,
      });
      expect(replayed.data.replayWebhookEndpoint).toEqual({ queued: 1, nextCursor: events[0]!.cursor });
      const bad = await gql(`mutation ($b: String!, $e: String!) { replayWebhookEndpoint(input: { businessId: $b, endpointId: $e, after: "nope" }) { queued } }`, { b: 'dl', e: endpoint });
      expect(bad.errors![0]!.extensions.issues![0]!.loc).toEqual(['input', 'after']);
      const bearer = { authorization: `Bearer ${session}` };
      const bySession = await gql(
        `mutation ($b: String!, $e: String!) { replayWebhookEndpoint(input: { businessId: $b, endpointId: $e, after: "0:0" }) { queued } }`,
        { b: 'dl', e: endpoint },
        bearer,
      );
      expect(bySession.errors![0]!.extensions.code).toBe('API_KEY_REQUIRED');
      const redeliverBySession = await gql(
        `mutation ($b: String!, $d: String!) { redeliverWebhookDelivery(input: { businessId: $b, deliveryId: $d }) { id } }`,
        { b: 'dl', d: allDeliveries[0] },
        bearer,
      );
      expect(redeliverBySession.errors![0]!.extensions.code).toBe('API_KEY_REQUIRED');
      const readBySession = await gql(DELIVERIES, { b: 'dl', endpoint: all, first: 1 }, bearer);
      expect(readBySession.errors).toBeUndefined();
      const crossBusiness = await gql(`mutation ($b: String!, $d: String!) { redeliverWebhookDelivery(input: { businessId: $b, deliveryId: $d }) { id } }`, { b: 'dl', d: otherDelivery });
      expect(crossBusiness.errors![0]!.extensions.code).toBe('WEBHOOK_DELIVERY_NOT_FOUND');
    });
  });
});
