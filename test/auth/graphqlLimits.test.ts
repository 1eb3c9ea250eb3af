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
      // What graphql-js gives by default, and with every option GraphiQL and codegen turn on.
      const full = { descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true };
      for (const query of [getIntrospectionQuery(), getIntrospectionQuery(full)]) {
        const res = await defaults.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': key }, payload: { query } });
        expect(res.json().errors).toBeUndefined();
        expect(res.json().data.__schema.types.length).toBeGreaterThan(20);
      }
    } finally {
      await defaults.close();
    }
  });
});

describe('GraphQL aliases, tokens, directives (graphql-armor) and introspection (graphql-js)', () => {
  let t: TestApp;
  let service: string;
  const gql = (query: string) => t.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': service }, payload: { query } });

  beforeAll(async () => {
    t = await startTestApp({ appOptions: { graphqlMaxAliases: 15, graphqlMaxDirectives: 5 } });
    service = await createServiceKey(t.deps);
  });
  afterAll(() => t.close());

  it('refuses aliased introspection (120 copies of the schema) before running it', async () => {
    const res = await gql(`{ ${Array.from({ length: 120 }, (_, i) => `s${i}: __schema { types { fields { name } } }`).join(' ')} }`);
    expect(res.json().errors).toContainEqual(expect.objectContaining({ message: 'Aliases limit of 15 exceeded, found 120.', extensions: { code: 'QUERY_TOO_MANY_ALIASES' } }));
    expect(res.json().data).toBeUndefined();
    expect(res.body.length).toBeLessThan(1000);
    const aliases = await gql(`{ ${Array.from({ length: 16 }, (_, i) => `t${i}: __type(name: "Query") { name }`).join(' ')} }`);
    expect(aliases.json().errors[0]).toMatchObject({ message: 'Aliases limit of 15 exceeded, found 16.', extensions: { code: 'QUERY_TOO_MANY_ALIASES' } });
    const fifteen = await gql(`{ ${Array.from({ length: 15 }, (_, i) => `h${i}: health { status }`).join(' ')} }`);
    expect(fifteen.json().errors).toBeUndefined();
  });

  it('answers __schema once per operation: two copies, by alias or fragment, are refused, and the largest answer stays small', async () => {
    const two = await gql('{ a: __schema { types { name } } b: __schema { types { name } } }');
    expect(two.json().errors[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COSTLY' } });
    const viaFragment = await gql('{ __schema { types { name } } ...S } fragment S on Query { x: __schema { queryType { name } } }');
    expect(viaFragment.json().errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
    // The most a caller without credentials gets in one request: the whole schema once, and 14 types.
    const query = `{ __schema { types { name fields { name type { name } } } } ${Array.from({ length: 14 }, (_, i) => `t${i}: __type(name: "Conversation") { fields { name args { name } type { name fields { name } } } }`).join(' ')} }`;
    const res = await t.app.inject({ method: 'POST', url: '/graphql', payload: { query } });
    expect(res.json().errors, res.body.slice(0, 300)).toBeUndefined();
    expect(res.body.length).toBeLessThan(400 * 1024);
  });

  it('refuses a document of too many tokens while parsing it', async () => {
    const res = await gql(`{ health { ${'status '.repeat(2000)} } }`);
    expect(res.json().errors[0]).toMatchObject({ message: expect.stringMatching(/Token limit of 2000 exceeded/), extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  });

  it('refuses too many directives', async () => {
    const res = await gql(`{ health { ${'status @include(if: true) '.repeat(6)} } }`);
    expect(res.json().errors[0].extensions.code).toBe('QUERY_TOO_MANY_DIRECTIVES');
  });

  it('bounds introspection: graphql-js refuses three nested lists of __Type (MaxIntrospectionDepthRule)', async () => {
    const two = await gql('{ __type(name: "Query") { fields { type { fields { name } } } } }');
    expect(two.json().errors, two.body).toBeUndefined();
    const three = await gql('{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }');
    expect(three.json().errors[0]).toMatchObject({ message: 'Maximum introspection depth exceeded', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const viaFragment = await gql('{ __schema { types { ...T } } } fragment T on __Type { fields { type { interfaces { possibleTypes { name } } } } }');
    expect(viaFragment.json().errors[0].message).toBe('Maximum introspection depth exceeded');
  });
});
