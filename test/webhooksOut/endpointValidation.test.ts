// What an endpoint may be: 422 naming the field for a bad URL, an unknown event type, plain http
// when PUBLIC_BASE_URL is https, a long description, and (without OMEGA_WEBHOOK_ALLOW_PRIVATE) a
// host that does not resolve or resolves to loopback, private, link-local or metadata addresses;
// 409 past 20 endpoints per business.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_WEBHOOK_ENDPOINTS } from '../../src/domain/outboundWebhooks/webhookEndpointFields.js';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';

/** Addresses refused by default, as a URL host, with the range the 422 names. */
const REFUSED: [string, RegExp][] = [
  ['127.0.0.1', /loopback/],
  ['localhost', /loopback/],
  ['10.1.2.3', /private/],
  ['192.168.0.10', /private/],
  ['172.16.5.4', /private/],
  ['169.254.169.254', /linkLocal/],
  ['100.100.100.200', /carrierGradeNat/],
  ['0.0.0.0', /unspecified/],
  ['[::1]', /loopback/],
  ['[::ffff:127.0.0.1]', /loopback/],
  ['[::ffff:169.254.169.254]', /linkLocal/],
  ['[fd00::1]', /uniqueLocal/],
  ['[fe80::1]', /linkLocal/],
];

describe('webhook endpoint validation', () => {
  let strict: TestApp;
  let lax: TestApp;
  let a: { id: string; apiKey: string };

  const post = (app: TestApp, business: { id: string; apiKey: string }, body: unknown) =>
    app.app.inject({ method: 'POST', url: `/businesses/${business.id}/webhooks`, headers: { 'x-api-key': business.apiKey }, payload: body as object });
  const gqlCreate = (app: TestApp, business: { id: string; apiKey: string }, input: Record<string, unknown>) =>
    app.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'x-api-key': business.apiKey },
      payload: { query: 'mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }', variables: { input: { businessId: business.id, ...input } } },
    });

  beforeAll(async () => {
    // PUBLIC_BASE_URL https, private addresses refused: the production defaults.
    strict = await startTestApp({ depsOptions: { publicBaseUrl: 'https://omega.test' } });
    lax = await startTestApp({ depsOptions: { outboundWebhooks: { allowPrivate: true, secretGraceHours: 24, disableAfterDays: 3 } } });
    a = await createBusiness(strict.deps, 'val-a');
  });
  afterAll(async () => {
    await strict?.close();
    await lax?.close();
  });

  it('refuses URLs that are not absolute http(s), carry credentials or a fragment, or are too long (REST and GraphQL)', async () => {
    const cases: [string, RegExp][] = [
      ['not a url', /absolute URL/],
      ['/relative/path', /absolute URL/],
      ['ftp://files.example.com/x', /http or https/],
      ['javascript:alert(1)', /http or https/],
      ['https://user:pass@example.com/hook', /user name or password/],
      ['https://example.com/hook#frag', /fragment/],
      ['http://example.com/hook', /must be https: PUBLIC_BASE_URL is https/],
    ];
    for (const [url, msg] of cases) {
      const res = await post(strict, a, { url });
      expect(res.statusCode, url).toBe(422);
      expect(res.json().detail[0]).toMatchObject({ loc: ['body', 'url'], input: url });
      expect(res.json().detail[0].msg, url).toMatch(msg);
      const g = (await gqlCreate(strict, a, { url })).json();
      expect(g.errors[0].extensions.code, url).toBe('VALIDATION_FAILED');
      expect(g.errors[0].extensions.issues[0].loc).toEqual(['input', 'url']);
      expect(g.errors[0].extensions.issues[0].msg).toMatch(msg);
    }
    const long = `https://example.com/${'a'.repeat(2100)}`;
    expect((await post(strict, a, { url: long })).json().detail[0]).toMatchObject({ type: 'string_too_long', loc: ['body', 'url'] });
    expect((await gqlCreate(strict, a, { url: long })).json().errors[0].extensions.issues[0]).toMatchObject({ type: 'string_too_long', loc: ['input', 'url'] });
    expect(await strict.deps.prisma.webhookEndpoint.count({ where: { businessId: a.id } })).toBe(0);
  });

  it('names each unknown event type, and a description over 500 characters', async () => {
    const res = await post(strict, a, { url: 'https://1.1.1.1/hook', event_types: ['message.created', 'message.deleted'] });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: 'enum', loc: ['body', 'event_types', 1], input: 'message.deleted' });
    const g = (await gqlCreate(strict, a, { url: 'https://1.1.1.1/hook', eventTypes: ['nope', 'message.created', 'conversation.exploded'], description: 'x'.repeat(501) })).json();
    expect(g.errors[0].extensions.issues.map((i: { loc: unknown[] }) => i.loc)).toEqual([
      ['input', 'description'],
      ['input', 'eventTypes', 0],
      ['input', 'eventTypes', 2],
    ]);
    expect((await post(strict, a, { url: 'https://1.1.1.1/hook', description: 'x'.repeat(501) })).json().detail[0]).toMatchObject({ loc: ['body', 'description'] });
  });

  it('refuses hosts on loopback, private, link-local (metadata), CGNAT and unique-local addresses, IPv4-mapped IPv6 included', async () => {
    for (const [host, range] of REFUSED) {
      const url = `https://${host}/hook`;
      const res = await post(strict, a, { url });
      expect(res.statusCode, url).toBe(422);
      expect(res.json().detail[0].loc).toEqual(['body', 'url']);
      expect(res.json().detail[0].msg, url).toMatch(range);
      expect(res.json().detail[0].msg).toMatch(/OMEGA_WEBHOOK_ALLOW_PRIVATE/);
    }
    const g = (await gqlCreate(strict, a, { url: 'https://169.254.169.254/latest/meta-data' })).json();
    expect(g.errors[0].extensions.issues[0]).toMatchObject({ loc: ['input', 'url'] });
    expect(g.errors[0].extensions.issues[0].msg).toMatch(/linkLocal/);
    expect(await strict.deps.prisma.webhookEndpoint.count({ where: { businessId: a.id } })).toBe(0);
  });

  it('refuses a host that does not resolve', async () => {
    const res = await post(strict, a, { url: 'https://no-such-host.invalid/hook' });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ loc: ['body', 'url'] });
    expect(res.json().detail[0].msg).toMatch(/does not resolve/);
  });

  it('refuses the same on update', async () => {
    // A public IP literal needs no lookup.
    const created = await post(strict, a, { url: 'https://1.1.1.1/hook' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const patch = (body: unknown) => strict.app.inject({ method: 'PATCH', url: `/businesses/${a.id}/webhooks/${id}`, headers: { 'x-api-key': a.apiKey }, payload: body as object });
    for (const [url, msg] of [
      ['https://[::1]/hook', /loopback/],
      ['http://1.1.1.1/hook', /must be https/],
      ['nope', /absolute URL/],
    ] as const) {
      const res = await patch({ url });
      expect(res.statusCode, url).toBe(422);
      expect(res.json().detail[0].msg).toMatch(msg);
    }
    expect((await patch({ event_types: ['message.created', 'nope'] })).json().detail[0].loc).toEqual(['body', 'event_types', 1]);
    expect((await strict.deps.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id } })).url).toBe('https://1.1.1.1/hook');
  });

  it('accepts every refused address with OMEGA_WEBHOOK_ALLOW_PRIVATE, and plain http when PUBLIC_BASE_URL is http', async () => {
    const business = await createBusiness(lax.deps, 'val-private');
    for (const [host] of REFUSED) {
      const res = await post(lax, business, { url: `http://${host}:8080/hook` });
      expect(res.statusCode, `${host}: ${res.body}`).toBe(201);
    }
    const g = (await gqlCreate(lax, business, { url: 'http://[::ffff:169.254.169.254]/x' })).json();
    expect(g.data.createWebhookEndpoint.secret).toMatch(/^whsec_/);
  });

  it(`keeps a business to ${MAX_WEBHOOK_ENDPOINTS} endpoints: the next is 409 WEBHOOK_ENDPOINT_LIMIT`, async () => {
    const business = await createBusiness(lax.deps, 'val-limit');
    const results = await Promise.all(Array.from({ length: MAX_WEBHOOK_ENDPOINTS + 3 }, (_, i) => post(lax, business, { url: `http://127.0.0.1:9/${i}` })));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(MAX_WEBHOOK_ENDPOINTS);
    const refused = results.filter((r) => r.statusCode !== 201);
    expect(refused.map((r) => [r.statusCode, r.json().code])).toEqual(Array(3).fill([409, 'WEBHOOK_ENDPOINT_LIMIT']));
    expect(await lax.deps.prisma.webhookEndpoint.count({ where: { businessId: business.id } })).toBe(MAX_WEBHOOK_ENDPOINTS);
    expect((await gqlCreate(lax, business, { url: 'http://127.0.0.1:9/more' })).json().errors[0].extensions.code).toBe('WEBHOOK_ENDPOINT_LIMIT');
  });
});
