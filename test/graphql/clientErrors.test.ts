// A client's mistakes over GraphQL answer with what to fix and a client code, never a masked
// "Unexpected error."; they are logged below error level; wrong credentials are 401.
import { Writable } from 'node:stream';
import { isInterfaceType, type GraphQLInterfaceType } from 'graphql';
import { createClient } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NODE_ID_SHAPES } from '../../src/graphql/builder.js';
import { schema } from '../../src/graphql/schema.js';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';

const lines: { level: number; msg: string }[] = [];
const logger = pino(
  { level: 'debug' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  }),
);
const ERROR_LEVEL = 50;

let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await startTestApp({ appOptions: { logger } });
  key = (await createBusiness(t.deps, 'ce-a')).apiKey;
});
afterAll(async () => t.close());
beforeEach(() => {
  lines.length = 0;
});

/** With the business key, unless `credentials` are given instead (or `{}`: none). */
async function post(body: string | object, headers: Record<string, string> = {}, credentials: Record<string, string> = { 'x-api-key': key }) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...credentials, ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, json: res.json() as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] } };
}

const CONVERSATIONS = 'query($f: Int, $filter: ConversationFilterInput, $after: String) { conversations(businessId: "ce-a", first: $f, filter: $filter, after: $after) { totalCount } }';

const cases: { name: string; body: object | string; code: string; message: RegExp }[] = [
  { name: 'a wrong-typed variable', body: { query: CONVERSATIONS, variables: { f: 'abc' } }, code: 'BAD_USER_INPUT', message: /\$f.*Int cannot represent/ },
  { name: 'a missing required variable', body: { query: 'query($id: String!) { conversation(id: $id) { id } }', variables: {} }, code: 'BAD_USER_INPUT', message: /\$id.*required/ },
  { name: 'a bad enum inside an input object', body: { query: CONVERSATIONS, variables: { filter: { channel: 'fax' } } }, code: 'BAD_USER_INPUT', message: /channel.*Channel/ },
  { name: 'a bad DateTime inside an input object', body: { query: CONVERSATIONS, variables: { filter: { from: 'yesterday' } } }, code: 'BAD_USER_INPUT', message: /ISO 8601/ },
  { name: 'a garbage cursor', body: { query: CONVERSATIONS, variables: { after: 'garbage' } }, code: 'BAD_USER_INPUT', message: /cursor/i },
  { name: 'a negative page size', body: { query: CONVERSATIONS, variables: { f: -1 } }, code: 'BAD_USER_INPUT', message: /first.*non-negative/ },
  { name: 'an invalid global id', body: { query: '{ node(id: "x") { id } }' }, code: 'BAD_USER_INPUT', message: /global ID/ },
  {
    name: 'a global id of a type that is no Node',
    body: { query: `{ node(id: "${Buffer.from('Nope:1').toString('base64')}") { id } }` },
    code: 'BAD_USER_INPUT',
    message: /"Nope", which is not a Node/,
  },
  {
    name: 'a global id whose row id cannot be one',
    body: { query: `{ node(id: "${Buffer.from('Conversation:not-a-uuid').toString('base64')}") { id } }` },
    code: 'BAD_USER_INPUT',
    message: /not the id of a Conversation/,
  },
  { name: 'invalid global ids in nodes', body: { query: '{ nodes(ids: ["%%%", "Q2xpZW50Og=="]) { id } }' }, code: 'BAD_USER_INPUT', message: /ID/ },
  {
    name: 'a negative search page size',
    body: { query: '{ searchConversations(businessId: "ce-a", query: "rosa", first: -1) { rank } }' },
    code: 'VALIDATION_FAILED',
    message: /first: must be a whole number from 0 to 100/,
  },
  {
    name: 'a negative search offset',
    body: { query: '{ searchConversations(businessId: "ce-a", query: "rosa", offset: -1) { rank } }' },
    code: 'VALIDATION_FAILED',
    message: /offset: must be a whole number/,
  },
  { name: 'a NUL byte in a string argument', body: { query: '{ conversations(businessId: "ce-a\\u0000") { totalCount } }' }, code: 'BAD_USER_INPUT', message: /NUL/ },
  {
    name: 'a NUL byte in a string variable',
    body: { query: 'query($s: String) { clients(businessId: "ce-a", search: $s) { totalCount } }', variables: { s: 'ro\u0000sa' } },
    code: 'BAD_USER_INPUT',
    message: /NUL/,
  },
  { name: '10,000 nested braces', body: { query: `{ health ${'{ a '.repeat(10_000)}${'}'.repeat(10_000)} }` }, code: 'GRAPHQL_PARSE_FAILED', message: /Token limit/ },
];

describe('client mistakes over GraphQL', () => {
  for (const c of cases) {
    it(`${c.name}: a client code and a message saying what is wrong, logged below error`, async () => {
      const res = await post(c.body);
      expect(res.json.errors?.[0]?.extensions.code, JSON.stringify(res.json)).toBe(c.code);
      expect(res.json.errors?.[0]?.message).toMatch(c.message);
      expect(JSON.stringify(res.json)).not.toMatch(/Unexpected error|INTERNAL_SERVER_ERROR/);
      expect(res.status).toBeLessThan(500);
      expect(lines.filter((l) => l.level >= ERROR_LEVEL)).toEqual([]);
    });
  }

  it('answers request errors with 400 under application/graphql-response+json, as GraphQL over HTTP says', async () => {
    const res = await post({ query: CONVERSATIONS, variables: { f: 'abc' } }, { accept: 'application/graphql-response+json' });
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it("refuses a NUL byte in a GET's variables (no body parser read them)", async () => {
    const query = encodeURIComponent('query($s: String) { clients(businessId: "ce-a", search: $s) { totalCount } }');
    const variables = encodeURIComponent('{"s": "ro\\u0000sa"}');
    const res = await t.app.inject({ method: 'GET', url: `/graphql?query=${query}&variables=${variables}`, headers: { 'x-api-key': key } });
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json().errors[0]).toMatchObject({ message: expect.stringMatching(/Variable \$s contains a NUL character/), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('answers a GET whose variables are not JSON with 400 BAD_REQUEST', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/graphql?query=%7B__typename%7D&variables=%7Bnot-json', headers: { 'x-api-key': key } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ message: expect.stringMatching(/JSON could not be read/), extensions: { code: 'BAD_REQUEST' } });
  });

  it("answers malformed JSON with 400 in GraphQL's shape", async () => {
    const res = await post('{"query": ');
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0]?.message).toMatch(/JSON/);
  });

  it('refuses a JSON variable nested 5,000 deep with 400, before parsing it', async () => {
    const deep = `{"query": "mutation($m: JSON) { __typename }", "variables": {"m": ${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    const res = await post(deep);
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0]?.message).toMatch(/nested more than 64/);
  });

  it('refuses the same over graphql-ws, where no HTTP body parser runs: a deep JSON variable, a NUL byte', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const client = createClient({ url: `${address.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { 'X-API-KEY': key } });
    const run = (query: string, variables: Record<string, unknown>) =>
      new Promise<unknown>((resolve) => {
        client.subscribe({ query, variables }, { next: (value) => resolve(value), error: resolve, complete: () => resolve(null) });
      });
    try {
      let deep: unknown = 1;
      for (let i = 0; i < 200; i++) deep = { a: deep }; // (the graphql-ws client itself overflows at 5,000)
      const mutation = 'mutation($m: JSON, $b: String) { processMessage(input: { businessId: "ce-a", channel: note, body: $b, metadata: $m }) { __typename } }';
      const tooDeep = JSON.stringify(await run(mutation, { m: deep, b: 'note' }));
      expect(tooDeep).toMatch(/BAD_USER_INPUT/);
      expect(tooDeep).toMatch(/\$m is nested more than 64 levels deep/);
      const nul = JSON.stringify(await run(mutation, { m: {}, b: 'a\u0000b' }));
      expect(nul).toMatch(/Variable \$b contains a NUL character/);
      expect((await t.deps.pool.query(`SELECT count(*)::int AS n FROM messages WHERE business_id = 'ce-a'`)).rows[0].n).toBe(0);
    } finally {
      await client.dispose();
    }
  });

  it('still masks an error Omega did not expect, and logs it as an error', async () => {
    // A database statement that cannot run (the table is gone) is Omega's fault, not the client's.
    await t.deps.pool.query('ALTER TABLE locations RENAME TO locations_away');
    try {
      const res = await post({ query: '{ locations(businessId: "ce-a") { id } }' });
      expect(res.json.errors?.[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(lines.some((l) => l.level >= ERROR_LEVEL)).toBe(true);
    } finally {
      await t.deps.pool.query('ALTER TABLE locations_away RENAME TO locations');
    }
  });
});

it("knows the shape of every Node type's id (builder.ts NODE_ID_SHAPES is the schema's list)", () => {
  const node = schema.getType('Node');
  expect(node && isInterfaceType(node)).toBe(true);
  const implementations = schema.getImplementations(node as GraphQLInterfaceType).objects.map((o) => o.name);
  expect(Object.keys(NODE_ID_SHAPES).sort()).toEqual(implementations.sort());
});

describe('credentials over GraphQL', () => {
  it('answers 401 when the credentials sent are wrong, whatever is asked', async () => {
    const wrong: Record<string, string>[] = [{ 'x-api-key': 'omega_bk_wrong' }, { authorization: 'Bearer not.a.token' }, { cookie: 'omega_session=expired.token.value' }];
    for (const headers of wrong) {
      const res = await post({ query: '{ health { status } }' }, {}, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.json.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
      expect(res.json.errors?.[0]?.message).toMatch(/Bearer/);
    }
  });

  it('answers public fields without credentials, and 401 for the rest', async () => {
    const open = await post({ query: '{ health { status } }' }, {}, {});
    expect(open.status).toBe(200);
    expect(open.json.data).toEqual({ health: { status: 'ok' } });
    const closed = await post({ query: '{ locations(businessId: "ce-a") { id } }' }, {}, {});
    expect(closed.status).toBe(401);
    expect(closed.json.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(closed.json.errors?.[0]?.message).toMatch(/Bearer/);
  });
});
