// What the pages are made of, over HTTP: security headers on every answer, GraphiQL's page naming
// only files of this server (content-hashed, cached, compressed), Swagger UI's policy and settings,
// and the demo key only where the embedded demo puts it. The same pages run in Chromium in
// test/browser/pages.test.ts.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoGraphiQL, GRAPHIQL_CSP } from '../../src/graphql/graphiql.js';
import { schema } from '../../src/graphql/schema.js';
import { API_CSP_DIRECTIVES, contentSecurityPolicy, DOCS_CSP_DIRECTIVES } from '../../src/http/securityHeaders.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

const HTML = { accept: 'text/html,application/xhtml+xml' };

/** Every src and href of a page. */
const references = (html: string) => [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);

describe('pages and security headers', () => {
  let t: TestApp;
  let http: TestApp;

  beforeAll(async () => {
    // The default test app's public URL is https; a second one is plain http, as `npm start` is.
    [t, http] = await Promise.all([
      startTestApp({ appOptions: { rateLimitPerMinute: 3, corsOrigins: ['https://inbox.example.com'] } }),
      startTestApp({ appOptions: { publicBaseUrl: 'http://127.0.0.1:4000' } }),
    ]);
  });
  afterAll(async () => {
    await t?.close();
    await http?.close();
  });

  it('every API answer may load nothing and be framed by nothing, and is not sniffed', async () => {
    for (const res of [
      await t.app.inject({ url: '/health' }),
      await t.app.inject({ url: '/no/such/route' }),
      await t.app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ __typename }' } }),
    ]) {
      expect(res.headers['content-security-policy']).toBe(contentSecurityPolicy(API_CSP_DIRECTIVES));
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('sets them on requests Fastify refuses before any route (a bad URL) too', async () => {
    const res = await t.app.inject({ url: '/%zz' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-security-policy']).toBe(contentSecurityPolicy(API_CSP_DIRECTIVES));
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends HSTS for this host only when the public URL is https', async () => {
    expect((await t.app.inject({ url: '/health' })).headers['strict-transport-security']).toBe('max-age=31536000');
    expect((await http.app.inject({ url: '/health' })).headers['strict-transport-security']).toBeUndefined();
  });

  it("GraphiQL is a small page that names only this server's files and carries its own policy", async () => {
    const res = await t.app.inject({ url: '/graphql', headers: HTML });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(GRAPHIQL_CSP);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.length).toBeLessThan(4096);
    const refs = references(res.body);
    expect(refs).toHaveLength(3); // icon, stylesheet, script
    for (const ref of refs) expect(ref).toMatch(/^\/assets\/graphiql\/[a-z.]+\.[A-Za-z0-9_-]{16}\.(js|css|ico)$/);
    expect(res.body).not.toMatch(/https?:\/\//);
    // Its only inline script is data (not run, so not subject to script-src).
    const scripts = [...res.body.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!.trim());
    expect(scripts).toEqual(['type="application/json" id="graphiql-options"', `src="${refs[2]}"`]);
    // No key, no default tabs: GraphiQL's own welcome.
    expect(res.body).not.toContain('omega_bk_');
    expect(res.body).not.toContain('defaultTabs');
  });

  it('a GET without text/html in Accept is still a GraphQL request, not the page; both say they vary by Accept', async () => {
    const res = await http.app.inject({ url: '/graphql?query=%7B__typename%7D', headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ data: { __typename: 'Query' } });
    expect(res.headers.vary).toBe('Accept');
    expect((await http.app.inject({ url: '/graphql', headers: HTML })).headers.vary).toBe('Accept');
  });

  it("serves GraphiQL's files for a year, with an ETag, Brotli or gzip, and without counting them against the rate limit", async () => {
    // The page is counted (t's limit is spent by now); its files, the same in every app, are not.
    const page = await http.app.inject({ url: '/graphql', headers: HTML });
    const pageOptions = JSON.parse(/<script type="application\/json" id="graphiql-options">(.*?)<\/script>/s.exec(page.body)![1]!) as { workers: Record<string, string> };
    const files = [...references(page.body), ...Object.values(pageOptions.workers)];
    expect(files).toHaveLength(6);
    // 6 files and their variants from one IP: a limit of 3 a minute would refuse most of them if they counted.
    for (const url of files) {
      const plain = await t.app.inject({ url });
      expect(plain.statusCode, url).toBe(200);
      expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['content-type']).toMatch(url.endsWith('.css') ? /^text\/css/ : url.endsWith('.js') ? /^(text|application)\/javascript/ : /^image\//);
      expect(String(plain.headers['vary']).toLowerCase()).toBe('origin, accept-encoding');
      const etag = plain.headers.etag as string;
      expect(etag).toBeTruthy();
      const notModified = await t.app.inject({ url, headers: { 'if-none-match': etag } });
      expect(notModified.statusCode).toBe(304);
      expect(notModified.rawPayload.length).toBe(0);
      const head = await t.app.inject({ method: 'HEAD', url });
      expect(head.statusCode).toBe(200);
      expect(head.headers['content-length']).toBe(String(plain.rawPayload.length));
      const br = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length);
      expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);
      expect(br.headers.etag).not.toBe(etag);
      const gz = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
      const none = await t.app.inject({ url, headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } });
      expect(none.headers['content-encoding']).toBeUndefined();
    }
  });

  it('serves no other file of the build directory: a name the page does not use is a 404 in the REST shape', async () => {
    for (const url of ['/assets/graphiql/graphiql.0000000000000000.js', '/assets/graphiql/manifest.json', '/assets/graphiql/../../../package.json', '/assets/graphiql/']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toEqual({ code: 'NOT_FOUND', detail: expect.any(String) });
    }
    const page = await http.app.inject({ url: '/graphql', headers: HTML });
    const script = references(page.body)[2]!;
    expect((await t.app.inject({ url: `${script}.br` })).statusCode).toBe(404);
  });

  it('Swagger UI has its own policy, no online validator, and tries requests on the origin that served it', async () => {
    const page = await t.app.inject({ url: '/docs' });
    expect(page.headers['content-security-policy']).toBe(contentSecurityPolicy(DOCS_CSP_DIRECTIVES));
    for (const ref of references(page.body)) expect(ref).not.toMatch(/^(https?:)?\/\//);
    const initializer = await t.app.inject({ url: '/docs/static/swagger-initializer.js' });
    expect(initializer.body).toMatch(/validatorUrl":\s*null/);
    expect(initializer.body).not.toMatch(/validator\.swagger\.io/);
    expect((await t.app.inject({ url: '/docs/json' })).json().servers).toEqual([{ url: '/' }]);
    expect((await t.app.inject({ url: '/openapi.json' })).json().servers).toEqual([{ url: 'https://omega.test' }]);
  });
});

describe('GraphiQL of the embedded demo', () => {
  let t: TestApp;
  const key = 'omega_bk_demo_key_for_this_test_only';
  const pageOptions = (body: string) =>
    JSON.parse(/<script type="application\/json" id="graphiql-options">(.*?)<\/script>/s.exec(body)![1]!) as {
      graphiql: { defaultTabs?: { query: string; headers: string }[]; defaultHeaders?: string; shouldPersistHeaders: boolean };
    };

  beforeAll(async () => {
    t = await startTestApp({ appOptions: { publicBaseUrl: 'http://127.0.0.1:4000', graphiqlDemo: demoGraphiQL('demo', key) } });
  });
  afterAll(() => t?.close());

  it('opens with the demo inbox and its live events, the key in their headers and in new tabs', async () => {
    const res = await t.app.inject({ url: '/graphql', headers: { ...HTML, host: '127.0.0.1:4000' } });
    const options = pageOptions(res.body);
    expect(options.graphiql.defaultTabs).toHaveLength(2);
    for (const tab of options.graphiql.defaultTabs!) expect(JSON.parse(tab.headers)).toEqual({ 'X-API-KEY': key });
    expect(JSON.parse(options.graphiql.defaultHeaders!)).toEqual({ 'X-API-KEY': key });
    // Headers are never kept in the browser's storage, the demo key included.
    expect(options.graphiql.shouldPersistHeaders).toBe(false);
    // The example operations are valid against the schema (the browser test runs them).
    for (const tab of options.graphiql.defaultTabs!) expect(validate(schema, parse(tab.query)).map((e) => e.message)).toEqual([]);
  });

  it('shows the key only to a request from this machine that names a loopback host and came through no proxy', async () => {
    const page = (headers: Record<string, string>, remoteAddress?: string) => t.app.inject({ url: '/graphql', headers: { ...HTML, ...headers }, ...(remoteAddress ? { remoteAddress } : {}) });
    for (const host of ['127.0.0.1:4000', 'localhost:4000', '[::1]:4000', 'localhost']) expect((await page({ host })).body, host).toContain(key);
    // A page of another site whose name was rebound to 127.0.0.1 names its own host.
    expect((await page({ host: 'attacker.example:4000' })).body).not.toContain(key);
    expect((await page({ host: '192.168.1.20:4000' })).body).not.toContain(key);
    // Hosts that a URL parser would read as 127.0.0.1.
    for (const host of ['evil@127.0.0.1:4000', '127.0.0.1:4000/x', '127.0.0.1:4000?x', '127.0.0.1:4000#x']) expect((await page({ host })).body, host).not.toContain(key);
    // A proxy or tunnel in front of Omega.
    for (const header of ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'via']) {
      expect((await page({ host: '127.0.0.1:4000', [header]: 'x' })).body, header).not.toContain(key);
    }
    // Another machine.
    expect((await page({ host: '127.0.0.1:4000' }, '192.168.1.30')).body).not.toContain(key);
    const plain = pageOptions((await page({ host: 'attacker.example' })).body);
    expect(plain.graphiql.defaultTabs).toBeUndefined();
    expect(plain.graphiql.defaultHeaders).toBeUndefined();
  });

  it('keeps "</script>" in a tab from ending the options element', async () => {
    const app = await startTestApp({ appOptions: { graphiqlDemo: { defaultTabs: [{ query: '# </script><script>alert(1)</script>\n{ __typename }' }] } } });
    try {
      const res = await app.app.inject({ url: '/graphql', headers: HTML });
      expect(res.body).not.toContain('</script><script>');
      expect(pageOptions(res.body).graphiql.defaultTabs![0]!.query).toContain('</script><script>alert(1)</script>');
    } finally {
      await app.close();
    }
  });
});

describe('pages behind a proxy that mounts Omega under a path', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ appOptions: { publicBaseUrl: 'https://example.com/omega/' } });
  });
  afterAll(() => t?.close());

  it("name their files, the GraphQL endpoint and the REST server under PUBLIC_BASE_URL's path", async () => {
    const page = await t.app.inject({ url: '/graphql', headers: HTML });
    for (const ref of references(page.body)) expect(ref).toMatch(/^\/omega\/assets\/graphiql\//);
    const options = JSON.parse(/<script type="application\/json" id="graphiql-options">(.*?)<\/script>/s.exec(page.body)![1]!) as { workers: Record<string, string>; graphiql: { endpoint: string } };
    expect(options.graphiql.endpoint).toBe('/omega/graphql');
    for (const worker of Object.values(options.workers)) expect(worker).toMatch(/^\/omega\/assets\/graphiql\//);
    expect((await t.app.inject({ url: '/docs/json' })).json().servers).toEqual([{ url: '/omega' }]);
  });
});
