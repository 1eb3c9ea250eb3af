// Outbound webhook endpoints over REST and GraphQL: create, list, read, update, delete; the secret
// answered once and stored only sealed; the endpoint's log cursor starting at creation; API keys
// manage, sessions read; another business's endpoint id is 404 everywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgTransaction } from '../../src/db/transaction.js';
import { publishInboxEvent } from '../../src/domain/inbox/publishInboxEvent.js';
import { openSecret } from '../../src/domain/outboundWebhooks/secretBox.js';
import { createBusiness, createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';

const ENDPOINT_FIELDS = 'id businessId url description eventTypes enabled disabledReason disabledAt failingSince previousSecretExpiresAt createdAt updatedAt';

describe('webhook endpoints', () => {
  let t: TestApp;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  let service: string;
  let session: string;

  const key = (k: string) => ({ 'x-api-key': k });
  const rest = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string>, payload?: unknown) =>
    t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const gql = (query: string, headers: Record<string, string>, variables: Record<string, unknown> = {}) => t.app.inject({ method: 'POST', url: '/graphql', headers, payload: { query, variables } });
  const create = async (business: { id: string; apiKey: string }, body: Record<string, unknown> = {}) => {
    const res = await rest('POST', `/businesses/${business.id}/webhooks`, key(business.apiKey), { url: 'http://127.0.0.1:9/hooks', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  beforeAll(async () => {
    t = await startTestApp({ depsOptions: { outboundWebhooks: { allowPrivate: true, secretGraceHours: 24, disableAfterDays: 3 } } });
    a = await createBusiness(t.deps, 'wh-a');
    b = await createBusiness(t.deps, 'wh-b');
    service = await createServiceKey(t.deps);
    const staff = await t.deps.prisma.staff.create({ data: { businessId: a.id, firstName: 'Maya' } });
    session = (await rest('POST', '/auth/token', key(a.apiKey), { business_id: a.id, staff_id: staff.id })).json().access_token;
  });
  afterAll(() => t?.close());

  describe('over REST', () => {
    it('creates an endpoint with its secret answered once, lists it newest first, reads it without the secret', async () => {
      const first = await create(a, { url: 'http://127.0.0.1:9/first', description: 'CRM sync', event_types: ['message.created', 'conversation.updated', 'message.created'] });
      expect(first).toMatchObject({
        business_id: a.id,
        url: 'http://127.0.0.1:9/first',
        description: 'CRM sync',
        event_types: ['message.created', 'conversation.updated'],
        enabled: true,
        disabled_reason: null,
        disabled_at: null,
        failing_since: null,
        previous_secret_expires_at: null,
      });
      expect(first.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Date.parse(first.created_at)).not.toBeNaN();
      const second = await create(a, { url: 'http://127.0.0.1:9/second', enabled: false });
      expect(second).toMatchObject({ description: null, event_types: [], enabled: false, disabled_reason: 'manual' });
      expect(second.disabled_at).not.toBeNull();

      const list = await rest('GET', `/businesses/${a.id}/webhooks`, key(a.apiKey));
      expect(list.statusCode).toBe(200);
      const page = list.json();
      expect(page.items.map((e: { id: string }) => e.id).slice(0, 2)).toEqual([second.id, first.id]);
      expect(page).toMatchObject({ page: 1, page_size: 20, next_cursor: null });
      expect(page.total).toBe(page.items.length);
      const small = (await rest('GET', `/businesses/${a.id}/webhooks?page_size=1`, key(a.apiKey))).json();
      expect(small.items).toHaveLength(1);
      expect(small.next_cursor).toBe(small.items[0].id);
      const next = (await rest('GET', `/businesses/${a.id}/webhooks?page_size=1&cursor=${small.next_cursor}`, key(a.apiKey))).json();
      expect(next.items[0].id).not.toBe(small.items[0].id);

      const got = await rest('GET', `/businesses/${a.id}/webhooks/${first.id}`, key(a.apiKey));
      expect(got.statusCode).toBe(200);
      const { secret: _secret, ...withoutSecret } = first;
      expect(got.json()).toEqual(withoutSecret);
      for (const body of [list.body, got.body]) {
        expect(body).not.toContain(first.secret);
        expect(body).not.toContain('"secret"');
      }
    });

    it('stores the secret sealed, never in plaintext, and starts the endpoint at the log position of its creation', async () => {
      const before = await pgTransaction(t.deps, (sql) => publishInboxEvent(sql, { businessId: a.id, type: 'conversation.updated', payload: { n: 1 } }));
      const created = await create(a);
      const after = await pgTransaction(t.deps, (sql) => publishInboxEvent(sql, { businessId: a.id, type: 'conversation.updated', payload: { n: 2 } }));
      const { rows } = await t.deps.pool.query(
        `SELECT e.*, e.cursor_xid::text AS cursor_xid, e.start_snapshot::text AS start_snapshot,
                (SELECT pg_visible_in_snapshot(xid, e.start_snapshot) FROM inbox_events WHERE id = $2) AS before_hidden,
                (SELECT pg_visible_in_snapshot(xid, e.start_snapshot) FROM inbox_events WHERE id = $3) AS after_hidden,
                (SELECT (xid, id) > (e.cursor_xid, e.cursor_id) FROM inbox_events WHERE id = $3) AS after_past_cursor
           FROM webhook_endpoints e WHERE id = $1`,
        [created.id, before, after],
      );
      const row = rows[0];
      expect(JSON.stringify(row)).not.toContain(created.secret);
      expect(JSON.stringify(row)).not.toContain(created.secret.slice('whsec_'.length));
      expect(row.secret_encrypted).toMatch(/^v1\./);
      expect(openSecret(t.deps.outboundWebhooks.secretKey, row.secret_encrypted)).toBe(created.secret);
      expect(row.previous_secret_encrypted).toBeNull();
      expect(row.cursor_id).toBe('0');
      // The event committed before creation is hidden by the start snapshot; the one after is past the cursor and not hidden.
      expect(row.before_hidden).toBe(true);
      expect(row.after_hidden).toBe(false);
      expect(row.after_past_cursor).toBe(true);
    });

    it('updates fields; disabling records why, enabling clears it and its failures and wakes the deliverer', async () => {
      const e = await create(a, { description: 'old', event_types: ['message.created'] });
      const patch = (body: unknown) => rest('PATCH', `/businesses/${a.id}/webhooks/${e.id}`, key(a.apiKey), body);
      let res = await patch({ url: 'http://localhost:9/new', description: null, event_types: [] });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ url: 'http://localhost:9/new', description: null, event_types: [], enabled: true });
      expect(Date.parse(res.json().updated_at)).toBeGreaterThanOrEqual(Date.parse(e.updated_at));

      res = await patch({ enabled: false });
      expect(res.json()).toMatchObject({ enabled: false, disabled_reason: 'manual' });
      expect(res.json().disabled_at).not.toBeNull();
      // Disabled by the deliverer after a 410, while failing: enabling clears all of it.
      await t.deps.pool.query(`UPDATE webhook_endpoints SET disabled_reason = 'gone', failing_since = now() WHERE id = $1`, [e.id]);
      res = await patch({ enabled: true });
      expect(res.json()).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null, failing_since: null });
      const jobs = await t.deps.pool.query(
        `SELECT j.key FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks k ON k.id = j.task_id WHERE k.identifier = 'deliver_webhooks' AND j.payload->>'endpointId' = $1`,
        [e.id],
      );
      expect(jobs.rows.map((r) => r.key)).toEqual([`deliver_webhooks:${e.id}`]);
      // An empty patch changes nothing.
      res = await patch({});
      expect(res.statusCode).toBe(200);
      expect(res.json().enabled).toBe(true);
    });

    it('deletes an endpoint with its deliveries', async () => {
      const e = await create(a);
      const eventId = await pgTransaction(t.deps, (sql) => publishInboxEvent(sql, { businessId: a.id, type: 'conversation.updated', payload: { n: 3 } }));
      await t.deps.pool.query('INSERT INTO webhook_deliveries (business_id, endpoint_id, event_id) VALUES ($1, $2, $3)', [a.id, e.id, eventId]);
      const res = await rest('DELETE', `/businesses/${a.id}/webhooks/${e.id}`, key(a.apiKey));
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
      expect((await rest('GET', `/businesses/${a.id}/webhooks/${e.id}`, key(a.apiKey))).statusCode).toBe(404);
      expect((await rest('DELETE', `/businesses/${a.id}/webhooks/${e.id}`, key(a.apiKey))).json().code).toBe('WEBHOOK_ENDPOINT_NOT_FOUND');
      expect((await t.deps.pool.query('SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1', [e.id])).rows[0].n).toBe(0);
    });

    it('lets a service key manage any business', async () => {
      const res = await rest('POST', `/businesses/${b.id}/webhooks`, key(service), { url: 'http://127.0.0.1:9/service' });
      expect(res.statusCode).toBe(201);
      expect(res.json().business_id).toBe(b.id);
      expect((await rest('DELETE', `/businesses/${b.id}/webhooks/${res.json().id}`, key(service))).statusCode).toBe(204);
    });
  });

  describe('over GraphQL', () => {
    it('creates, lists, reads, updates, rotates and deletes', async () => {
      const created = await gql(`mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret webhookEndpoint { ${ENDPOINT_FIELDS} } } }`, key(a.apiKey), {
        input: { businessId: a.id, url: 'http://127.0.0.1:9/gql', description: 'from GraphQL', eventTypes: ['client.updated'] },
      });
      const c = created.json().data.createWebhookEndpoint;
      expect(c.secret).toMatch(/^whsec_/);
      expect(c.webhookEndpoint).toMatchObject({ businessId: a.id, url: 'http://127.0.0.1:9/gql', description: 'from GraphQL', eventTypes: ['client.updated'], enabled: true, disabledReason: null });
      const id = c.webhookEndpoint.id;

      const list = (
        await gql(`query ($b: String!) { webhookEndpoints(businessId: $b, first: 2) { totalCount edges { node { id url } } pageInfo { hasNextPage endCursor } } }`, key(a.apiKey), { b: a.id })
      ).json().data.webhookEndpoints;
      expect(list.edges[0].node).toEqual({ id, url: 'http://127.0.0.1:9/gql' });
      expect(list.totalCount).toBeGreaterThan(2);
      expect(list.pageInfo.hasNextPage).toBe(true);

      const one = (await gql(`query ($id: String!) { webhookEndpoint(id: $id) { ${ENDPOINT_FIELDS} } }`, key(a.apiKey), { id })).json().data.webhookEndpoint;
      expect(one).toEqual(c.webhookEndpoint);

      const updated = (
        await gql(`mutation ($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { description eventTypes enabled disabledReason } }`, key(a.apiKey), {
          input: { id, description: null, eventTypes: [], enabled: false },
        })
      ).json().data.updateWebhookEndpoint;
      expect(updated).toEqual({ description: null, eventTypes: [], enabled: false, disabledReason: 'manual' });

      const rotated = (await gql(`mutation ($id: String!) { rotateWebhookEndpointSecret(input: { id: $id }) { secret webhookEndpoint { previousSecretExpiresAt } } }`, key(a.apiKey), { id })).json()
        .data.rotateWebhookEndpointSecret;
      expect(rotated.secret).toMatch(/^whsec_/);
      expect(rotated.secret).not.toBe(c.secret);
      expect(Date.parse(rotated.webhookEndpoint.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);

      const deleted = (await gql(`mutation ($id: String!) { deleteWebhookEndpoint(input: { id: $id }) { id } }`, key(a.apiKey), { id })).json();
      expect(deleted.data.deleteWebhookEndpoint).toEqual({ id });
      const gone = (await gql(`query ($id: String!) { webhookEndpoint(id: $id) { id } }`, key(a.apiKey), { id })).json();
      expect(gone.errors[0].extensions.code).toBe('WEBHOOK_ENDPOINT_NOT_FOUND');
    });

    it('exposes no secret field', async () => {
      const res = (await gql('{ __type(name: "WebhookEndpoint") { fields { name } } }', key(a.apiKey))).json();
      const names = res.data.__type.fields.map((f: { name: string }) => f.name);
      expect(names.filter((n: string) => /secret/i.test(n))).toEqual(['previousSecretExpiresAt']);
    });
  });

  describe("another business's endpoint", () => {
    it('is 404 on every REST route, for its business key and for a service key naming the other business', async () => {
      const theirs = await create(a, { description: 'not yours' });
      const routes: ['GET' | 'PATCH' | 'DELETE' | 'POST', string, unknown?][] = [
        ['GET', ''],
        ['PATCH', '', { description: 'taken over', enabled: false }],
        ['POST', '/rotate-secret', {}],
        ['POST', '/test'],
        ['DELETE', ''],
      ];
      for (const credential of [b.apiKey, service]) {
        for (const [method, suffix, body] of routes) {
          const res = await rest(method, `/businesses/${b.id}/webhooks/${theirs.id}${suffix}`, key(credential), body);
          expect(res.statusCode, `${method} ${suffix}`).toBe(404);
          expect(res.json().code).toBe('WEBHOOK_ENDPOINT_NOT_FOUND');
        }
      }
      // Credentials of another business naming its business in the path: 403, as on every route.
      expect((await rest('GET', `/businesses/${a.id}/webhooks/${theirs.id}`, key(b.apiKey))).json().code).toBe('BUSINESS_FORBIDDEN');
      expect((await rest('GET', `/businesses/${a.id}/webhooks`, key(b.apiKey))).statusCode).toBe(403);
      expect((await rest('GET', `/businesses/${b.id}/webhooks`, key(b.apiKey))).json().items.map((e: { id: string }) => e.id)).not.toContain(theirs.id);
      const row = await t.deps.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: theirs.id } });
      expect(row).toMatchObject({ description: 'not yours', enabled: true, previousSecretEncrypted: null });
    });

    it('is WEBHOOK_ENDPOINT_NOT_FOUND on every GraphQL field', async () => {
      const theirs = await create(a, { description: 'not yours either' });
      const operations = [
        'query ($id: String!) { webhookEndpoint(id: $id) { id } }',
        'mutation ($id: String!) { updateWebhookEndpoint(input: { id: $id, description: "taken over" }) { id } }',
        'mutation ($id: String!) { rotateWebhookEndpointSecret(input: { id: $id }) { secret } }',
        'mutation ($id: String!) { testWebhookEndpoint(input: { id: $id }) { ok } }',
        'mutation ($id: String!) { deleteWebhookEndpoint(input: { id: $id }) { id } }',
      ];
      for (const op of operations) {
        const res = (await gql(op, key(b.apiKey), { id: theirs.id })).json();
        expect(res.errors?.[0]?.extensions?.code, op).toBe('WEBHOOK_ENDPOINT_NOT_FOUND');
      }
      const list = (await gql('query ($b: String!) { webhookEndpoints(businessId: $b) { edges { node { id } } } }', key(b.apiKey), { b: a.id })).json();
      expect(list.errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await t.deps.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: theirs.id } })).description).toBe('not yours either');
    });
  });

  describe('a session', () => {
    it('reads endpoints but changes nothing (403 API_KEY_REQUIRED), over REST and GraphQL', async () => {
      const e = await create(a, { description: 'read only' });
      const bearer = { authorization: `Bearer ${session}` };
      expect((await rest('GET', `/businesses/${a.id}/webhooks`, bearer)).statusCode).toBe(200);
      expect((await rest('GET', `/businesses/${a.id}/webhooks/${e.id}`, bearer)).json().description).toBe('read only');
      const writes: ['POST' | 'PATCH' | 'DELETE', string, unknown?][] = [
        ['POST', `/businesses/${a.id}/webhooks`, { url: 'http://127.0.0.1:9/session' }],
        ['PATCH', `/businesses/${a.id}/webhooks/${e.id}`, { enabled: false }],
        ['DELETE', `/businesses/${a.id}/webhooks/${e.id}`],
        ['POST', `/businesses/${a.id}/webhooks/${e.id}/rotate-secret`, {}],
        ['POST', `/businesses/${a.id}/webhooks/${e.id}/test`],
      ];
      for (const [method, url, body] of writes) {
        const res = await rest(method, url, bearer, body);
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(res.json().code).toBe('API_KEY_REQUIRED');
      }

      expect((await gql(`query ($id: String!) { webhookEndpoint(id: $id) { description } }`, bearer, { id: e.id })).json().data.webhookEndpoint.description).toBe('read only');
      expect((await gql(`query ($b: String!) { webhookEndpoints(businessId: $b) { totalCount } }`, bearer, { b: a.id })).json().data.webhookEndpoints.totalCount).toBeGreaterThan(0);
      const mutations = [
        `mutation { createWebhookEndpoint(input: { businessId: "${a.id}", url: "http://127.0.0.1:9/s" }) { secret } }`,
        `mutation { updateWebhookEndpoint(input: { id: "${e.id}", enabled: false }) { id } }`,
        `mutation { rotateWebhookEndpointSecret(input: { id: "${e.id}" }) { secret } }`,
        `mutation { testWebhookEndpoint(input: { id: "${e.id}" }) { ok } }`,
        `mutation { deleteWebhookEndpoint(input: { id: "${e.id}" }) { id } }`,
      ];
      for (const m of mutations) expect((await gql(m, bearer)).json().errors?.[0]?.extensions?.code, m).toBe('API_KEY_REQUIRED');
      expect(await t.deps.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ enabled: true, previousSecretEncrypted: null });
    });
  });

  it('answers without credentials 401', async () => {
    expect((await rest('GET', `/businesses/${a.id}/webhooks`, {})).statusCode).toBe(401);
    expect((await gql('query ($b: String!) { webhookEndpoints(businessId: $b) { totalCount } }', {}, { b: a.id })).json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
