// The body rule of buildValidators holds whatever shape route schemas take: inline, through `$ref`
// to a route's own definitions or to shared schemas (app.addSchema, as TypeBox's Type.Ref makes),
// and in anyOf/oneOf branches.
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildValidators } from '../../src/http/buildValidators.js';

describe('strict bodies with nulls as "not given", whatever the schema\'s shape', () => {
  const app = Fastify({ schemaController: { compilersFactory: { buildValidator: buildValidators } }, ajv: { customOptions: { allErrors: true, removeAdditional: false } } });
  const echo = async (req: { body: unknown }) => ({ body: req.body });

  beforeAll(async () => {
    app.addSchema({
      $id: 'Contact',
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { name: { type: 'string' }, note: { type: 'string' }, phone: { type: 'string', nullable: true } },
    });
    app.post('/shared', { schema: { body: { type: 'object', properties: { contact: { $ref: 'Contact#' }, tag: { type: 'string' } } } } }, echo);
    app.post(
      '/local',
      {
        schema: {
          body: {
            type: 'object',
            $defs: { Item: { type: 'object', properties: { label: { type: 'string' }, count: { type: 'integer' } } } },
            properties: { items: { type: 'array', items: { $ref: '#/$defs/Item' } } },
          },
        },
      },
      echo,
    );
    app.post(
      '/branches',
      {
        schema: {
          body: {
            anyOf: [
              { type: 'object', required: ['to'], properties: { to: { type: 'string' }, subject: { type: 'string' } } },
              { type: 'object', required: ['client_id'], properties: { client_id: { type: 'string' }, subject: { type: 'string' }, reply_to: { type: 'string', nullable: true } } },
            ],
          },
        },
      },
      echo,
    );
    await app.ready();
  });
  afterAll(() => app.close());

  const post = async (url: string, payload: unknown) => {
    const res = await app.inject({ method: 'POST', url, payload: payload as object });
    return { status: res.statusCode, body: res.json() };
  };

  it('through a shared schema ($ref to app.addSchema): null is "not given" where the field refuses null, kept where it accepts it', async () => {
    expect(await post('/shared', { contact: { name: 'Rosa', note: null, phone: null }, tag: null })).toEqual({ status: 200, body: { body: { contact: { name: 'Rosa', phone: null } } } });
    expect((await post('/shared', { contact: { name: null } })).status).toBe(400); // required: null is a wrong type, not "not given"
  });

  it("through the route's own definitions ($ref: #/$defs/...), inside arrays", async () => {
    expect(
      await post('/local', {
        items: [
          { label: null, count: 2 },
          { label: 'x', count: null },
        ],
      }),
    ).toEqual({ status: 200, body: { body: { items: [{ count: 2 }, { label: 'x' }] } } });
  });

  it('in anyOf branches: a property optional and refusing null in every branch that has it', async () => {
    expect(await post('/branches', { to: '+14155550101', subject: null })).toEqual({ status: 200, body: { body: { to: '+14155550101' } } });
    expect(await post('/branches', { client_id: 'c1', reply_to: null })).toEqual({ status: 200, body: { body: { client_id: 'c1', reply_to: null } } });
  });

  it('never coerces a body value', async () => {
    expect((await post('/shared', { contact: { name: 12 } })).status).toBe(400);
    expect((await post('/local', { items: [{ count: '2' }] })).status).toBe(400);
  });
});
