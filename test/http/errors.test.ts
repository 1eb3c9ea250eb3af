import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/domain/errors.js';
import { createBusiness, createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';

describe('error shapes', () => {
  let t: TestApp;
  let key: string;
  let service: string;

  beforeAll(async () => {
    // Two probe routes, registered like any route, exercise the shared error mapping.
    t = await startTestApp({
      beforeReady: (app) => {
        app.post(
          '/__probe/validate',
          {
            config: { auth: 'none' },
            schema: {
              body: {
                type: 'object',
                properties: { to: { type: 'string', minLength: 3 }, count: { type: 'integer', minimum: 1 }, kind: { type: 'string', enum: ['sms', 'email'] } },
                required: ['to', 'kind'],
              },
            },
          },
          async () => ({ ok: true }),
        );
        app.post('/__probe/conflict', { config: { auth: 'none' } }, async () => {
          throw new ConflictError('MESSAGE_NOT_FAILED', 'Message m1 is delivered; only failed messages can be retried.');
        });
        app.get('/__probe/crash', { config: { auth: 'none' } }, async () => {
          throw new Error('secret internal detail');
        });
      },
    });
    key = (await createBusiness(t.deps, 'biz')).apiKey;
    service = await createServiceKey(t.deps);
  });
  afterAll(() => t.close());

  it('answers 422 in FastAPI shape, one entry per problem', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/__probe/validate', payload: { to: 'x', count: 0 } });
    expect(res.statusCode).toBe(422);
    const detail = res.json().detail as { type: string; loc: string[]; msg: string; input: unknown }[];
    expect(detail).toEqual(
      expect.arrayContaining([
        { type: 'missing', loc: ['body', 'kind'], msg: 'Field required', input: { to: 'x', count: 0 } },
        { type: 'string_too_short', loc: ['body', 'to'], msg: expect.any(String), input: 'x' },
        { type: 'greater_than_equal', loc: ['body', 'count'], msg: expect.any(String), input: 0 },
      ]),
    );
  });

  it('answers 422 json_invalid to a malformed JSON body', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/__probe/validate', headers: { 'content-type': 'application/json' }, payload: '{"to": ' });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: 'json_invalid', loc: ['body'] });
  });

  it('answers an enum violation with the allowed values', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/__probe/validate', payload: { to: '+15550001', kind: 'fax' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toEqual([{ type: 'enum', loc: ['body', 'kind'], msg: "Input should be 'sms', 'email'", input: 'fax' }]);
  });

  it('maps domain errors to their status with {detail, code}', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/__probe/conflict' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ detail: 'Message m1 is delivered; only failed messages can be retried.', code: 'MESSAGE_NOT_FAILED' });
  });

  it('hides the details of an unexpected error', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/__probe/crash' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ detail: 'Internal server error', code: 'INTERNAL' });
  });

  it('answers 422 to an invalid path parameter, after authentication', async () => {
    const long = 'x'.repeat(200);
    expect((await t.app.inject({ method: 'GET', url: `/businesses/${long}/locations` })).statusCode).toBe(401);
    const res = await t.app.inject({ method: 'GET', url: `/businesses/${long}/locations`, headers: { 'x-api-key': key } });
    // A business key for "biz" may not name another business, whatever its shape.
    expect(res.statusCode).toBe(403);
    const asService = await t.app.inject({ method: 'GET', url: `/businesses/${long}/locations`, headers: { 'x-api-key': service } });
    expect(asService.statusCode).toBe(422);
    expect(asService.json().detail).toEqual([{ type: 'string_too_long', loc: ['path', 'business_id'], msg: expect.any(String), input: long }]);
  });

  it('answers 404 JSON for an unknown route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/no/such/route' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: 'No route GET /no/such/route', code: 'NOT_FOUND' });
  });

  it('answers GraphQL errors with extensions.code, never a 500', async () => {
    const syntax = await t.app.inject({ method: 'POST', url: '/graphql', headers: { accept: 'application/graphql-response+json' }, payload: { query: '{ health { ' } });
    expect(syntax.statusCode).toBe(400);
    expect(syntax.json().errors[0].message).toMatch(/Syntax Error/);
    const unknown = await t.app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ nope }' } });
    expect(unknown.statusCode).toBeLessThan(500);
    expect(unknown.json().errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const badCursor = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'x-api-key': key },
      payload: { query: '{ business(id: "nope") { name } }' },
    });
    expect(badCursor.json().errors[0].extensions.code).toBe('FORBIDDEN');
  });
});
