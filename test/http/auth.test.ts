import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureServiceApiKey } from '../../src/domain/auth/ensureServiceApiKey.js';
import { createBusiness, createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';

describe('authentication and business scoping', () => {
  let t: TestApp;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  let service: string;

  beforeAll(async () => {
    t = await startTestApp();
    a = await createBusiness(t.deps, 'biz-a');
    b = await createBusiness(t.deps, 'biz-b');
    await t.deps.prisma.location.create({ data: { businessId: 'biz-a', name: 'A main' } });
    service = await createServiceKey(t.deps);
  });
  afterAll(() => t.close());

  const locations = (businessId: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: `/businesses/${businessId}/locations`, headers });
  const gql = (query: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/graphql', payload: { query }, headers });

  it('answers 401 JSON without credentials', async () => {
    const res = await locations('biz-a');
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json()).toEqual({ code: 'UNAUTHENTICATED', detail: expect.stringContaining('X-API-KEY') });
  });

  it('answers 401 to an unknown key', async () => {
    const res = await locations('biz-a', { 'x-api-key': 'omega_bk_not-a-real-key-0000000000000000000' });
    expect(res.statusCode).toBe(401);
  });

  it('accepts the key in X-API-KEY or in the omega_api_key cookie', async () => {
    const byHeader = await locations('biz-a', { 'x-api-key': a.apiKey });
    expect(byHeader.statusCode).toBe(200);
    expect(byHeader.json().items.map((l: { name: string }) => l.name)).toEqual(['A main']);
    const byCookie = await locations('biz-a', { cookie: `other=1; omega_api_key=${a.apiKey}` });
    expect(byCookie.statusCode).toBe(200);
  });

  it("answers 403 to a business key used on another business's routes", async () => {
    const res = await locations('biz-a', { 'x-api-key': b.apiKey });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('BUSINESS_FORBIDDEN');
  });

  it('lets a service key act on any business, and 404s an unknown one', async () => {
    expect((await locations('biz-a', { 'x-api-key': service })).statusCode).toBe(200);
    expect((await locations('biz-b', { 'x-api-key': service })).json()).toEqual({ items: [], total: 0 });
    const missing = await locations('nope', { 'x-api-key': service });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('BUSINESS_NOT_FOUND');
  });

  it('stores keys only as SHA-256 hashes', async () => {
    const { rows } = await t.deps.pool.query('SELECT key_hash, prefix FROM api_keys');
    for (const row of rows) {
      expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect([a.apiKey, b.apiKey, service]).not.toContain(row.key_hash);
      expect(row.prefix.length).toBeLessThan(20);
    }
  });

  it('answers 401 to a revoked or expired key', async () => {
    const c = await createBusiness(t.deps, 'biz-c');
    expect((await locations('biz-c', { 'x-api-key': c.apiKey })).statusCode).toBe(200);
    await t.deps.pool.query(`UPDATE api_keys SET revoked_at = now() WHERE business_id = 'biz-c'`);
    expect((await locations('biz-c', { 'x-api-key': c.apiKey })).statusCode).toBe(401);
    const d = await createBusiness(t.deps, 'biz-d');
    await t.deps.pool.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE business_id = 'biz-d'`);
    expect((await locations('biz-d', { 'x-api-key': d.apiKey })).statusCode).toBe(401);
  });

  it('creates the OMEGA_SERVICE_API_KEY key once and keeps it', async () => {
    const key = 'configured-service-key-0123456789abcdef';
    expect((await ensureServiceApiKey(t.deps, key)).created).toBe(true);
    expect((await ensureServiceApiKey(t.deps, key)).created).toBe(false);
    expect((await locations('biz-b', { 'x-api-key': key })).statusCode).toBe(200);
  });

  describe('GraphQL uses the same guard', () => {
    it('refuses business data without credentials with UNAUTHENTICATED', async () => {
      const res = await gql('{ business(id: "biz-a") { name } }');
      expect(res.json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(res.json().data).toBeNull();
    });

    it("refuses another business's data with FORBIDDEN", async () => {
      for (const query of ['{ business(id: "biz-a") { name } }', '{ locations(businessId: "biz-a") { name } }']) {
        const res = await gql(query, { 'x-api-key': b.apiKey });
        expect(res.json().errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
        expect(res.json().data).toBeNull();
      }
    });

    it('answers its own business, and a service key any business', async () => {
      const own = await gql('{ viewer { kind businessId } business(id: "biz-a") { businessId name locations { name } } }', { 'x-api-key': a.apiKey });
      expect(own.json()).toEqual({
        data: { viewer: { kind: 'business', businessId: 'biz-a' }, business: { businessId: 'biz-a', name: 'Business biz-a', locations: [{ name: 'A main' }] } },
      });
      const viaService = await gql('{ viewer { kind } business(id: "biz-b") { businessId } }', { 'x-api-key': service });
      expect(viaService.json().data).toEqual({ viewer: { kind: 'service' }, business: { businessId: 'biz-b' } });
    });

    it('refuses a node of another business fetched by global id', async () => {
      const own = await gql('{ business(id: "biz-a") { id } }', { 'x-api-key': a.apiKey });
      const globalId = own.json().data.business.id as string;
      const res = await gql(`{ node(id: "${globalId}") { id } }`, { 'x-api-key': b.apiKey });
      expect(res.json().errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('refuses every business-owned object of another business, each type checked once as it completes (ownedByBusiness)', async () => {
      const client = await t.deps.prisma.client.create({ data: { businessId: 'biz-a', firstName: 'Ada', phones: ['+14155550188'] } });
      const location = await t.deps.prisma.location.findFirstOrThrow({ where: { businessId: 'biz-a' } });
      const staff = await t.deps.prisma.staff.create({ data: { businessId: 'biz-a', firstName: 'Sam', locationIds: [location.id] } });
      const conversation = await t.deps.prisma.conversation.create({ data: { businessId: 'biz-a', clientId: client.id, locationId: location.id, assigneeId: staff.id } });
      const ids = { Client: client.id, Location: location.id, Staff: staff.id, Conversation: conversation.id };
      for (const [type, id] of Object.entries(ids)) {
        const globalId = Buffer.from(`${type}:${id}`).toString('base64');
        const own = await gql(`{ node(id: "${globalId}") { __typename id } }`, { 'x-api-key': a.apiKey });
        expect(own.json().data.node, type).toEqual({ __typename: type, id: globalId });
        const other = await gql(`{ node(id: "${globalId}") { __typename id } }`, { 'x-api-key': b.apiKey });
        expect(other.json().errors?.[0]?.extensions?.code, type).toBe('FORBIDDEN');
        expect(other.json().data?.node ?? null, type).toBeNull();
        const anonymous = await gql(`{ node(id: "${globalId}") { __typename id } }`);
        expect(anonymous.json().errors?.[0]?.extensions?.code, type).toBe('UNAUTHENTICATED');
      }
      // Objects reached through another object are checked too: the conversation's nested relations all belong to biz-a.
      const nested = await gql(`{ conversations(businessId: "biz-a", first: 5) { edges { node { client { name } assignee { name } location { name } } } } }`, { 'x-api-key': a.apiKey });
      expect(nested.json().data.conversations.edges).toEqual([{ node: { client: { name: 'Ada' }, assignee: { name: 'Sam' }, location: { name: 'A main' } } }]);
    });
  });
});
