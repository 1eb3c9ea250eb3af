// The inbox web app over HTTP, from a build directory of this file's own (an index.html and one
// asset with its Brotli and gzip siblings, as Vite's build writes them): `/` redirects to it, its
// client routes answer the page, its files are cached for a year, and the history fallback shadows
// none of Omega's own paths. Without a build, /inbox says how to make one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_APP_CSP } from '../../src/http/webApp.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/app/index-AbC123.js"></script></head><body><div id="root"></div></body></html>\n';
const SCRIPT = `console.log(${JSON.stringify('the inbox '.repeat(200))});\n`;
const ASSET = '/assets/app/index-AbC123.js';

describe('the inbox web app', () => {
  let dir: string;
  let emptyDir: string;
  let t: TestApp;
  let unbuilt: TestApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'omega-web-'));
    emptyDir = mkdtempSync(join(tmpdir(), 'omega-web-empty-'));
    mkdirSync(join(dir, 'assets', 'app'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), INDEX);
    const script = join(dir, 'assets', 'app', 'index-AbC123.js');
    writeFileSync(script, SCRIPT);
    writeFileSync(`${script}.br`, brotliCompressSync(SCRIPT));
    writeFileSync(`${script}.gz`, gzipSync(SCRIPT));
    // A rate limit of 1 a minute: the page and its files must not count against it.
    [t, unbuilt] = await Promise.all([
      startTestApp({ appOptions: { webAppDir: dir, rateLimitPerMinute: 1, publicBaseUrl: 'http://127.0.0.1:4000' } }),
      startTestApp({ appOptions: { webAppDir: emptyDir } }),
    ]);
  });
  afterAll(async () => {
    await t?.close();
    await unbuilt?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(emptyDir, { recursive: true, force: true });
  });

  it('redirects / to /inbox', async () => {
    const res = await t.app.inject({ url: '/' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/inbox');
  });

  it('answers /inbox and every client route under it with the page, revalidated on every load, under its own policy', async () => {
    for (const url of ['/inbox', '/inbox/', '/inbox/mine', '/inbox/all/c/3f1c2a4e-0000-4000-8000-000000000000', '/inbox/label/abc', '/inbox/sign-in', '/inbox/search?q=anna']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toBe(WEB_APP_CSP);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.body).toBe(INDEX);
    }
    const head = await t.app.inject({ method: 'HEAD', url: '/inbox/unread' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(INDEX)));
    expect(head.body).toBe('');
  });

  it("the page's policy allows the app's own origin only, style attributes and data: images besides", () => {
    const directives = Object.fromEntries(WEB_APP_CSP.split(';').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      'connect-src': ["'self'"],
      'manifest-src': ["'self'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it('serves its files for a year, immutable, Brotli or gzip as accepted, with an ETag', async () => {
    const plain = await t.app.inject({ url: ASSET });
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toBe(SCRIPT);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const etag = plain.headers.etag as string;
    expect(etag).toBeTruthy();
    expect((await t.app.inject({ url: ASSET, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    const br = await t.app.inject({ url: ASSET, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(SCRIPT);
    const gz = await t.app.inject({ url: ASSET, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(SCRIPT);
  });

  it('serves no other file: an unknown asset, a compressed sibling or a path out of the directory is the JSON 404', async () => {
    for (const url of ['/assets/app/index-000000.js', `${ASSET}.br`, '/assets/app/../index.html', '/assets/app/', '/index.html', '/assets/app/%2e%2e/index.html']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toEqual({ code: 'NOT_FOUND', detail: expect.any(String) });
    }
  });

  it("does not count the page or its files against the rate limit (their answers carry no limit's headers)", async () => {
    for (const url of ['/inbox', '/inbox/mine', ASSET, '/inbox', ASSET, '/']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBeLessThan(400);
      expect(res.headers['x-ratelimit-limit'], url).toBeUndefined();
    }
  });

  it("shadows none of Omega's own paths: they keep their JSON 404 and 405", async () => {
    const notFound = ['/businesses/nope/zzz', '/graphql/x', '/docs/nope.js', '/health/zzz', '/openapi.json/x', '/inboxes', '/auth/nope', '/assets/nope.js'];
    for (const url of notFound) {
      const res = await t.app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^application\/json/);
      expect(res.body, url).not.toBe(INDEX);
    }
    // The page is GET and HEAD only; any other method is the same 405 as elsewhere.
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
      for (const url of ['/inbox', '/inbox/mine']) {
        const res = await t.app.inject({ method, url, payload: {} });
        expect(res.statusCode, `${method} ${url}`).toBe(405);
        expect(res.headers.allow).toBe('GET, HEAD');
        expect(res.json().code).toBe('METHOD_NOT_ALLOWED');
      }
    }
    // And the real answers are untouched.
    expect((await t.app.inject({ url: '/health' })).json()).toMatchObject({ status: 'ok' });
    expect((await t.app.inject({ url: '/openapi.json' })).json().openapi).toBe('3.0.3');
  });

  it('without a build, /inbox says how to make one (503, no caching); the rest of Omega still answers', async () => {
    for (const url of ['/inbox', '/inbox/mine']) {
      const res = await unbuilt.app.inject({ url });
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('npm run generate');
    }
    expect((await unbuilt.app.inject({ url: ASSET })).statusCode).toBe(404);
    expect((await unbuilt.app.inject({ url: '/' })).headers.location).toBe('/inbox');
    expect((await unbuilt.app.inject({ url: '/health' })).statusCode).toBe(200);
  });
});
