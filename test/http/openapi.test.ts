import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_OPERATIONS, OPERATIONS } from '../../rest-compat/catalog.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("is served at /openapi.json with every route summarised and tagged from the index (or Omega's own list)", async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const paths = Object.entries(doc.paths as Record<string, Record<string, { summary?: string; tags?: string[] }>>);
    expect(paths.length).toBeGreaterThan(0);
    for (const [path, methods] of paths) {
      for (const [method, op] of Object.entries(methods)) {
        const fastifyPath = path.replace(/\{(\w+)\}/g, ':$1');
        const entry = ALL_OPERATIONS.find((o) => o.path === fastifyPath && o.method === method.toUpperCase());
        expect(entry, `${method} ${path} is not in rest-compat/catalog.ts`).toBeDefined();
        expect(op.summary).toBe(entry!.title);
        expect(op.tags).toEqual([entry!.group]);
      }
    }
    expect(doc.paths['/health'].get.summary).toBe('Get Health');
    expect(doc.paths['/businesses/{business_id}/locations'].get.security).toEqual([{ ApiKeyHeader: [] }, { ApiKeyCookie: [] }]);
    // What every route may answer: 415 where there is a body, 404 BUSINESS_NOT_FOUND where a path names a business.
    expect(doc.paths['/sms/send'].post.responses['415'].description).toMatch(/UNSUPPORTED_MEDIA_TYPE.*application\/json/);
    expect(doc.paths['/twilio/sms/incoming'].post.responses['415'].description).toMatch(/application\/x-www-form-urlencoded/);
    expect(doc.paths['/businesses/{business_id}/locations'].get.responses['404'].description).toMatch(/BUSINESS_NOT_FOUND/);
    expect(doc.paths['/health'].get.responses['415']).toBeUndefined();
  });

  it('has a browsable page at /docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });

  it('serves GraphiQL on a browser GET of /graphql', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/graphiql/i);
  });

  it('keeps the index complete: 38 operations in 12 groups', () => {
    expect(OPERATIONS).toHaveLength(38);
    expect(new Set(OPERATIONS.map((o) => o.group)).size).toBe(12);
    expect(new Set(OPERATIONS.map((o) => `${o.method} ${o.path}`)).size).toBe(38);
  });
});
