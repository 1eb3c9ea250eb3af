import { getIntrospectionQuery } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';

describe('GraphQL depth and cost limits', () => {
  let t: TestApp;
  let service: string;
  const gql = (query: string, variables: Record<string, unknown> = {}, app = t) =>
    app.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': service }, payload: { query, variables } });

  beforeAll(async () => {
    t = await startTestApp({ appOptions: { graphqlMaxDepth: 3, graphqlMaxCost: 40 } });
    service = await createServiceKey(t.deps);
    await t.deps.prisma.business.create({ data: { id: 'lim', name: 'Lim' } });
  });
  afterAll(() => t.close());

  it('refuses an operation deeper than the limit with QUERY_TOO_DEEP, before running it', async () => {
    const ok = await gql('{ business(id: "lim") { onboarding { status } } }');
    expect(ok.json().errors).toBeUndefined();
    const res = await gql('{ business(id: "lim") { onboarding { steps { name } } } }');
    const [error] = res.json().errors;
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', depth: 4, maxDepth: 3 });
    expect(error.message).toMatch(/4 levels deep; the limit is 3/);
    expect(res.json().data).toBeUndefined();
  });

  it('counts fragments, and is not fooled by spreading them', async () => {
    const res = await gql(`
      query { business(id: "lim") { ...B } }
      fragment B on Business { onboarding { ...O } }
      fragment O on Onboarding { steps { name } }`);
    expect(res.json().errors[0].extensions.code).toBe('QUERY_TOO_DEEP');
  });

  it('refuses an operation that could return too many objects with QUERY_TOO_COSTLY', async () => {
    // (Depth 3 here: edges { cursor } keeps within this app's depth limit.)
    const ok = await gql('{ apiKeys(first: 10) { edges { cursor } } }');
    expect(ok.json().errors, ok.body).toBeUndefined();
    const res = await gql('{ apiKeys(first: 100) { edges { cursor } } }');
    expect(res.json().errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', maxCost: 40 });
    expect(res.json().errors[0].extensions.cost).toBe(101);
    // A page size in a variable is costed at the largest page.
    const byVariable = await gql('query ($n: Int) { apiKeys(first: $n) { edges { cursor } } }', { n: 1 });
    expect(byVariable.json().errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
  });

  it('applies over graphql-ws too', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const client = createClient({ url: `${address.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { 'X-API-KEY': service } });
    try {
      const error = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: '{ business(id: "lim") { onboarding { steps { name } } } }' }, { next: () => undefined, error: resolve, complete: () => resolve(null) });
      });
      expect(JSON.stringify(error)).toMatch(/QUERY_TOO_DEEP/);
    } finally {
      await client.dispose();
    }
  });

  it('keeps the default limits loose enough for GraphiQL introspection', async () => {
    const defaults = await startTestApp();
    try {
      const key = await createServiceKey(defaults.deps);
      const res = await defaults.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': key }, payload: { query: getIntrospectionQuery() } });
      expect(res.json().errors).toBeUndefined();
      expect(res.json().data.__schema.types.length).toBeGreaterThan(20);
    } finally {
      await defaults.close();
    }
  });
});
