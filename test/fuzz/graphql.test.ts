// GraphQL fuzz driven by the executable schema (issue 12): every query and mutation field gets an
// operation with its arguments as variables, a valid baseline, then hostile variables (wrong types,
// nulls in non-null places, bad enums and DateTimes, garbage cursors and global ids, negative and
// huge page sizes, NUL, lone surrogates, huge strings, JSON nested 5,000 deep), then hostile
// documents and requests (10,000 nested braces, alias and directive spam, malformed bodies, other
// content types), and subscriptions over graphql-ws with bad arguments, and with a valid key in
// connectionParams while the upgrade carries a stale cookie from an allowed origin. Asserted at the
// end: no 5xx (nor a socket closed with 4500/1011), no masked error ("Unexpected error." /
// INTERNAL_SERVER_ERROR), the protocol answers the issue asks for, and the socket served.
//
// Reproduce or explore: OMEGA_FUZZ_SEED=<seed>, OMEGA_FUZZ_CASES=<random cases per field>,
// OMEGA_FUZZ_PER_FIELD=<drawn hostile values per variable>, OMEGA_FUZZ_ONLY=<part of a field, e.g. "mutation.sendSms">.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';
import { createFailureLog, fuzzRule, type Failure } from './failures.js';
import { fuzzSettings } from './fuzzSettings.js';
import { startFuzzWorld, type FuzzWorld } from './fuzzWorld.js';
import { notServed, overSocket, staleCookieCases } from './graphqlWsCases.js';
import { mutationsOf, operationFor, randomMutations, baselineVariables, type GqlOperation } from './graphqlCases.js';
import { deepArrayText, deepObjectText, toJsonText } from './jsonText.js';
import { prngFor } from './prng.js';

const settings = fuzzSettings();
const failures = createFailureLog();
let world: FuzzWorld;
let total = 0;
let elapsedMs = 0;
let healthAfter = 0;
const weakBaselines: string[] = [];
const MASKED = /Unexpected error\.|INTERNAL_SERVER_ERROR/;

/** What a case must get beyond "no 5xx, nothing masked". */
type Expectation = 'status 400' | 'status 401' | 'refused';

interface GqlRequest {
  target: string;
  field: string;
  input: string;
  method?: 'GET' | 'POST';
  url?: string;
  payload?: string;
  headers?: Record<string, string>;
  expect?: Expectation;
}

const ACCEPTS = ['application/graphql-response+json, application/json;q=0.9', 'application/json'];

async function send(req: GqlRequest, key: string | null) {
  world.takeLoggedErrors();
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: ACCEPTS[total % 2]!, ...(key ? { 'x-api-key': key } : {}), ...req.headers };
  const res = await world.app.inject({ method: req.method ?? 'POST', url: req.url ?? '/graphql', headers, ...(req.payload !== undefined ? { payload: req.payload } : {}) });
  total++;
  const logged = world.takeLoggedErrors();
  const error = world.errorOf(res.headers['x-request-id'] as string | undefined) ?? (logged.length ? logged.join(' | ') : undefined);
  const base: Omit<Failure, 'check'> = { target: req.target, field: req.field, input: req.input, status: res.statusCode, body: res.body.slice(0, 400), ...(error ? { error } : {}) };
  if (res.statusCode >= 500) failures.add({ check: '5xx', ...base });
  if (MASKED.test(res.body)) failures.add({ check: 'masked error', ...base });
  if (req.expect === 'status 400' && res.statusCode !== 400) failures.add({ check: 'protocol', ...base, input: `${req.input} (wants 400)` });
  if (req.expect === 'status 401' && res.statusCode !== 401) failures.add({ check: 'protocol', ...base, input: `${req.input} (wants 401)` });
  if (req.expect === 'refused' && (res.statusCode < 400 || res.statusCode >= 500)) failures.add({ check: 'protocol', ...base, input: `${req.input} (wants a 4xx, nothing run)` });
  return { status: res.statusCode, body: res.body };
}

const gql = (query: unknown, variables?: unknown, extra: Record<string, unknown> = {}) => toJsonText({ query, ...(variables !== undefined ? { variables } : {}), ...extra });

/** Operations and requests that break the document or the HTTP request, not one field. */
function documentCases(world: FuzzWorld): GqlRequest[] {
  const target = 'document';
  const c = (input: string, payload: string, more: Partial<GqlRequest> = {}): GqlRequest => ({ target, field: 'query', input, payload, ...more });
  const aliases = (n: number, sel: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${sel}`).join(' ')} }`;
  const conv = world.a.conversationId;
  return [
    c('10,000 nested braces', gql('{'.repeat(10_000) + '}'.repeat(10_000))),
    c('10,000 nested selections', gql(`{ ${'health { '.repeat(10_000)}ok${' }'.repeat(10_001)}`)),
    c('selection nested 200 deep on real fields', gql(`{ conversation(id: "${conv}") { ${'client { conversations(first: 1) { edges { node { '.repeat(40)}__typename${' } } } }'.repeat(40)} } }`)),
    c('list literal nested 10,000 deep', gql(`{ nodes(ids: ${'['.repeat(10_000)}"x"${']'.repeat(10_000)}) { __typename } }`)),
    c('input object literal nested 5,000 deep', gql(`{ conversations(businessId: "${world.a.id}", filter: ${'{view: inbox, a: '.repeat(5_000)}1${'}'.repeat(5_000)}) { totalCount } }`)),
    c('variable type nested 5,000 deep', gql(`query ($v: ${'['.repeat(5_000)}String${']'.repeat(5_000)}) { health { ok } }`, {})),
    c('1,000 aliases of health', gql(aliases(1_000, 'health { ok }'))),
    c('200 aliases of introspection', gql(aliases(200, '__schema { types { name fields { name } } }'))),
    c('1,000 repeated directives', gql(`{ health ${'@include(if: true) '.repeat(1_000)}{ ok } }`)),
    c('5,000 declared variables', gql(`query (${Array.from({ length: 5_000 }, (_, i) => `$v${i}: Int`).join(', ')}) { health { ok } }`, {})),
    c('fragment cycle', gql('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }')),
    c('unknown fragment', gql('query { ...Nope }')),
    c('unknown field', gql('{ nope }')),
    c('syntax error', gql('{ health { ok }')),
    c('1 MB of comment', gql(`# ${'x'.repeat(1024 * 1024)}\n{ health { ok } }`)),
    c('NUL escape in a string literal', gql(`{ client(id: "a\\u0000b") { __typename } }`)),
    c('lone surrogate escape in a string literal', gql(`{ client(id: "\\ud800") { __typename } }`)),
    c('raw NUL in the document', gql('{ health { ok } }\u0000')),
    c('node(id: "x") inline', gql('{ node(id: "x") { id } }')),
    c('nodes with invalid ids inline', gql('{ nodes(ids: ["x", "", "Q29udmVyc2F0aW9uOng="]) { id } }')),
    c('first: -1 inline', gql(`{ conversations(businessId: "${world.a.id}", first: -1) { totalCount } }`)),
    c('after and before together', gql(`{ conversations(businessId: "${world.a.id}", after: "a", before: "b") { totalCount } }`)),
    c('first and last together', gql(`{ conversations(businessId: "${world.a.id}", first: 1, last: 1) { totalCount } }`)),
    c('after: "garbage" inline', gql(`{ conversations(businessId: "${world.a.id}", after: "garbage") { totalCount } }`)),
    c('variable declared Int, given "abc"', gql('query ($f: Int) { conversations(businessId: "fuzz-a", first: $f) { totalCount } }', { f: 'abc' })),
    c('variable declared with the wrong type', gql('query ($f: String) { conversations(businessId: "fuzz-a", first: $f) { totalCount } }', { f: '1' })),
    c('undeclared variable', gql('{ conversations(businessId: "fuzz-a", first: $f) { totalCount } }', { f: 1 })),
    c('two anonymous operations', gql('{ health { ok } } { health { ok } }')),
    c('unknown operationName', gql('query A { health { ok } }', undefined, { operationName: 'B' })),
    c('operationName a number', gql('query A { health { ok } }', undefined, { operationName: 1 })),
    c('query a number', toJsonText({ query: 1 })),
    c('query a list', toJsonText({ query: ['{ health { ok } }'] })),
    c('query null', toJsonText({ query: null })),
    c('no query', toJsonText({ variables: {} })),
    c('variables a string', toJsonText({ query: '{ health { ok } }', variables: 'x' })),
    c('variables a list', toJsonText({ query: '{ health { ok } }', variables: [1] })),
    c('variables nested 5,000 deep', `{"query":"query ($v: JSON) { health { ok } }","variables":{"v":${deepObjectText(5_000)}}}`),
    c('extensions garbage', toJsonText({ query: '{ health { ok } }', extensions: { persistedQuery: { version: 'x', sha256Hash: 1 } } })),
    c('batched array of operations', toJsonText([{ query: '{ health { ok } }' }, { query: '{ health { ok } }' }])),
    c('body a string', '"x"'),
    c('body null', 'null', { expect: 'status 400' }),
    c('deep array body (5,000)', deepArrayText(5_000), { expect: 'status 400' }),
    c('deep object body (5,000)', deepObjectText(5_000)),
    c('malformed JSON', '{"query": ', { expect: 'status 400' }),
    c('empty body', ''),
    c(
      'form-urlencoded sendSms under a key',
      `query=${encodeURIComponent(`mutation { sendSms(input: {businessId: "${world.a.id}", recipients: [{to: "${world.a.clientPhone}"}], body: "csrf"}) { __typename } }`)}`,
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, expect: 'refused' },
    ),
    c('text/plain body', gql('{ health { ok } }'), { headers: { 'content-type': 'text/plain' }, expect: 'refused' }),
    c('multipart body', '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ health { ok } }"}\r\n--x--', { headers: { 'content-type': 'multipart/form-data; boundary=x' } }),
    c('application/graphql body', '{ health { ok } }', { headers: { 'content-type': 'application/graphql' } }),
    c('GET with garbage variables', '', { method: 'GET', url: `/graphql?query=${encodeURIComponent('query ($b: String!) { locations(businessId: $b) { id } }')}&variables=%7Bnot-json` }),
    c('GET of a mutation', '', { method: 'GET', url: `/graphql?query=${encodeURIComponent('mutation { expireSessions { __typename } }')}` }),
    c('GET with a lone surrogate', '', { method: 'GET', url: '/graphql?query=%7B%20client(id:%20%22%ED%A0%80%22)%20%7B%20__typename%20%7D%20%7D' }),
  ];
}

function credentialCases(): GqlRequest[] {
  const target = 'credentials';
  const q = gql('{ viewer { __typename } }');
  return [
    { target, field: 'x-api-key', input: 'garbage key', payload: q, headers: { 'x-api-key': 'garbage-key' }, expect: 'status 401' },
    { target, field: 'authorization', input: 'garbage bearer token', payload: q, headers: { authorization: 'Bearer a.b.c' }, expect: 'status 401' },
    { target, field: 'cookie', input: 'garbage session cookie', payload: q, headers: { cookie: 'omega_session=%ED%A0%80' } },
  ];
}

describe('GraphQL fuzz from the schema', () => {
  beforeAll(async () => {
    const started = Date.now();
    world = await startFuzzWorld();
    const perField = settings.perField;
    const wanted = (target: string) => !settings.only || target.includes(settings.only);
    const ops: GqlOperation[] = [];
    // Mutations first: onboardBusiness creates the business onboardingStatus reads.
    for (const [kind, type] of [
      ['mutation', schema.getMutationType()],
      ['query', schema.getQueryType()],
    ] as const) {
      for (const field of Object.values(type!.getFields())) ops.push(operationFor(kind, field));
    }
    console.log(
      `GraphQL fuzz: seed ${settings.seed} (OMEGA_FUZZ_SEED), ${settings.randomCases} random cases per field (OMEGA_FUZZ_CASES), ${perField} sampled values per variable (OMEGA_FUZZ_PER_FIELD), ${ops.length} fields`,
    );
    for (const op of ops.filter((o) => wanted(o.target))) {
      const prng = prngFor(settings.seed, op.target);
      // The baseline with the business key, else the service key: the mutations use the one it passes with.
      let key = world.a.apiKey;
      const baselines: string[] = [];
      for (const candidate of [world.a.apiKey, world.serviceKey]) {
        const res = await send({ target: op.target, field: '-', input: 'valid baseline', payload: gql(op.document, baselineVariables(op, world.a)) }, candidate);
        baselines.push(`${res.status} ${res.body.slice(0, 160)}`);
        if (res.status === 200 && !res.body.includes('"errors"')) {
          key = candidate;
          break;
        }
        // Failing either way: keep the key that got past authorization.
        if (candidate === world.serviceKey && /"(FORBIDDEN|SERVICE_KEY_REQUIRED)"/.test(baselines[0]!)) key = candidate;
      }
      // A baseline that fails leaves the mutations testing less than they could: say so.
      if (baselines.length === 2 && !baselines[1]!.startsWith('200 {"data"')) weakBaselines.push(`${op.target}: ${baselines.join(' / ')}`);
      for (const m of [...mutationsOf(op, world.a, world.b, prng, perField), ...randomMutations(op, world.a, world.b, prng, settings.randomCases)]) {
        await send({ target: op.target, field: m.field, input: m.input, payload: gql(op.document, m.variables) }, key);
      }
    }
    for (const c of documentCases(world).filter((d) => wanted(d.target))) await send(c, world.a.apiKey);
    for (const c of credentialCases().filter((d) => wanted(d.target))) await send(c, null);

    // Subscriptions: bad arguments and documents over graphql-ws.
    const address = await world.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `${address.replace('http', 'ws')}/graphql`;
    const sub = 'subscription ($b: String!, $after: String) { inboxEvents(businessId: $b, after: $after) { cursor type } }';
    const wsCases: [string, unknown][] = [
      ['valid baseline', { query: sub, variables: { b: world.a.id } }],
      ['businessId a number', { query: sub, variables: { b: 123 } }],
      ['businessId null', { query: sub, variables: { b: null } }],
      ['businessId missing', { query: sub, variables: {} }],
      ["other business's id", { query: sub, variables: { b: world.b.id } }],
      ['unknown business', { query: sub, variables: { b: 'no-such-business' } }],
      ['businessId with NUL', { query: sub, variables: { b: 'a\u0000b' } }],
      ['businessId with a lone surrogate', { query: sub, variables: { b: '\ud800' } }],
      ['businessId 1 MB', { query: sub, variables: { b: 'x'.repeat(1024 * 1024) } }],
      ...['garbage', '', '99999999999999999999:99999999999999999999', '-1:-1', 'x:1', '1:x', 'a\u0000b'].map((after): [string, unknown] => [
        `after ${JSON.stringify(after)}`,
        { query: sub, variables: { b: world.a.id, after } },
      ]),
      ['after a number', { query: sub, variables: { b: world.a.id, after: 5 } }],
      ['syntax error', { query: 'subscription { inboxEvents(' }],
      ['10,000 nested braces', { query: '{'.repeat(10_000) + '}'.repeat(10_000) }],
      ['10,000 nested selections', { query: `subscription { inboxEvents(businessId: "${world.a.id}") { ${'payload { '.repeat(10_000)} } }` }],
      ['unknown field', { query: 'subscription { nope }' }],
      ['a query over the socket', { query: '{ health { ok } }' }],
      ['a mutation over the socket', { query: 'mutation { expireSessions { __typename } }' }],
      ['variables a string', { query: sub, variables: 'x' }],
      ['query missing', { variables: {} }],
      ['query a number', { query: 1 }],
      [
        'variables nested 5,000 deep',
        `{"id":"1","type":"subscribe","payload":{"query":"subscription ($b: String!) { inboxEvents(businessId: $b) { cursor } }","variables":{"b":${deepObjectText(5_000)}}}}`,
      ],
      ['message not JSON', 'not json'],
    ];
    for (const [input, payload] of wsCases.filter(() => wanted('subscription.inboxEvents'))) {
      const out = await overSocket(url, { connectionParams: { 'X-API-KEY': world.a.apiKey } }, payload);
      total++;
      const logged = world.takeLoggedErrors();
      const text = JSON.stringify(out.messages).slice(0, 400);
      const base = {
        target: 'subscription.inboxEvents (graphql-ws)',
        field: 'payload',
        input,
        status: out.closeCode ?? 0,
        body: `${text} close=${out.closeCode}`,
        ...(logged.length ? { error: logged.join(' | ') } : {}),
      };
      if (out.closeCode === 4500 || out.closeCode === 1011) failures.add({ check: '5xx', ...base });
      if (MASKED.test(text)) failures.add({ check: 'masked error', ...base });
    }

    // A valid key in connectionParams while the upgrade carries a stale cookie, from allowed origins.
    const staleCookies = wanted('graphql-ws stale cookie') ? await staleCookieCases(world, address) : [];
    for (const c of staleCookies) {
      const out = await overSocket(url, c.connect, c.payload, c.kind === 'subscription' ? 400 : 700);
      total++;
      const logged = world.takeLoggedErrors();
      const text = JSON.stringify(out.messages).slice(0, 400);
      const base = {
        target: 'graphql-ws stale cookie',
        field: 'upgrade headers',
        input: c.input,
        status: out.upgradeStatus ?? out.closeCode ?? 0,
        body: `${text} close=${out.closeCode} ${out.closeReason}`.trim(),
        ...(logged.length ? { error: logged.join(' | ') } : {}),
      };
      if (out.closeCode === 4500 || out.closeCode === 1011 || (out.upgradeStatus ?? 0) >= 500) failures.add({ check: '5xx', ...base });
      if (MASKED.test(text)) failures.add({ check: 'masked error', ...base });
      const why = notServed(c, out);
      if (why) failures.add({ check: 'ws credentials', ...base, input: `${c.input} (${why})` });
    }

    if (weakBaselines.length) console.log(`GraphQL fuzz: baselines with errors under both keys:\n  ${weakBaselines.join('\n  ')}`);
    healthAfter = (await world.app.inject({ method: 'GET', url: '/health' })).statusCode;
    elapsedMs = Date.now() - started;
    console.log(`GraphQL fuzz: ${total} requests in ${(elapsedMs / 1000).toFixed(1)} s`);
  }, 600_000);

  afterAll(async () => {
    await world?.close();
  });

  const rule = (name: string, check: string) => fuzzRule(failures, name, check);

  rule('answers no request with a 5xx (nor closes a socket with 4500)', '5xx');
  rule('masks no client mistake as "Unexpected error." / INTERNAL_SERVER_ERROR', 'masked error');
  rule('answers malformed requests with 400, wrong credentials with 401, and runs nothing from a non-JSON body', 'protocol');

  rule('serves a graphql-ws client whose connectionParams carry a valid key, whatever stale cookie and allowed Origin its upgrade carries', 'ws credentials');

  it('still answers /health after the run', () => {
    expect(healthAfter).toBe(200);
  });
});
