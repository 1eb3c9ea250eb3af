// GraphQL over HTTP as its specification's own audit checks it (graphql-http's serverAudits, the
// suite behind the spec's compliance reports): every MUST, SHOULD and MAY passes, e.g. 400 for
// malformed JSON, 4xx for request errors under application/graphql-response+json.
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';

describe('the GraphQL over HTTP audit', () => {
  let t: TestApp;
  let key: string;
  let url: string;
  beforeAll(async () => {
    t = await startTestApp({ appOptions: { rateLimitPerMinute: 0 } });
    key = (await createBusiness(t.deps, 'audit')).apiKey;
    url = `${await t.app.listen({ port: 0, host: '127.0.0.1' })}/graphql`;
  });
  afterAll(async () => t.close());

  it('passes every audit (a client sending its API key, as every client of Omega does)', async () => {
    const fetchFn = (input: RequestInfo | URL, init?: RequestInit) => fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), 'x-api-key': key } });
    const results = await Promise.all(serverAudits({ url, fetchFn }).map(async (audit) => ({ ...(await audit.fn()), audit: audit.name })));
    expect(results.length).toBeGreaterThan(50);
    expect(results.filter((r) => r.status !== 'ok').map((r) => `${r.status}: ${r.audit}: ${'reason' in r ? r.reason : ''}`)).toEqual([]);
  });
});
