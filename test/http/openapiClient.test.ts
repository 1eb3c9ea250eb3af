// /openapi.json as a client generator and a linter read it, offline: openapi-typescript must turn
// it into named types (components), and Redocly's recommended rules must find no error, with the
// components' examples checked against their schemas.
import { createConfig, lintFromString } from '@redocly/openapi-core';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

/** The shared shapes a generated client must be able to name. */
const NAMED = [
  'Message',
  'Conversation',
  'Client',
  'Staff',
  'Location',
  'Business',
  'OnboardingStatus',
  'SearchHit',
  'QueuedSms',
  'QueuedEmail',
  'RecordResult',
  'DeliveryStatusResult',
  'WebhookEndpoint',
  'InboxEvent',
  'WebhookDelivery',
  'WebhookAttempt',
  'Error',
  'ValidationError',
];

/**
 * Warnings of the recommended ruleset that the document keeps, and why:
 * - info-license: the project names no license yet;
 * - no-ambiguous-paths: /messages/requests/{request_id} beside /messages/{business_id}/search and
 *   /process are the REST contract's paths (a router matches the literal segment first);
 * - operation-4xx-response: /health and /health/db answer 200 or 503, never a 4xx.
 */
const KEPT_WARNINGS = new Set(['info-license', 'no-ambiguous-paths', 'operation-4xx-response']);

describe('the OpenAPI document as clients read it', () => {
  let t: TestApp;
  let doc: { components: { schemas: Record<string, { example?: unknown }> }; paths: Record<string, Record<string, unknown>> };
  beforeAll(async () => {
    t = await startTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(() => t.close());

  it('names the shared shapes as components with examples, and answers refer to them', () => {
    const schemas = doc.components.schemas;
    for (const name of NAMED) {
      expect(schemas[name], `components.schemas.${name}`).toBeDefined();
      expect(schemas[name]!.example, `components.schemas.${name}.example`).toBeDefined();
    }
    const get = (path: string, method: string) => doc.paths[path]![method] as { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
    const schemaOf = (path: string, method: string, status: string) => get(path, method).responses[status]!.content!['application/json']!.schema;
    expect(schemaOf('/businesses/{business_id}/conversations', 'get', '200')).toMatchObject({ properties: { items: { items: { $ref: '#/components/schemas/Conversation' } } } });
    expect(schemaOf('/businesses/{business_id}/conversations/{conversation_id}/notes', 'post', '201')).toEqual({ $ref: '#/components/schemas/Message' });
    expect(schemaOf('/sms/send', 'post', '422')).toEqual({ $ref: '#/components/schemas/ValidationError' });
    expect(schemaOf('/sms/send', 'post', '401')).toEqual({ $ref: '#/components/schemas/Error' });
    expect(schemaOf('/businesses/{business_id}/events', 'get', '200')).toMatchObject({ properties: { items: { items: { $ref: '#/components/schemas/InboxEvent' } } } });
    expect(schemaOf('/businesses/{business_id}/webhooks/{webhook_id}/deliveries', 'get', '200')).toMatchObject({ properties: { items: { items: { $ref: '#/components/schemas/WebhookDelivery' } } } });
    // The event's objects are the shared Message, Conversation and Client (or null).
    expect(schemas['InboxEvent']).toMatchObject({ properties: { data: { properties: { message: { anyOf: [{ $ref: '#/components/schemas/Message' }, { enum: [null] }] } } } } });
  });

  it('generates a TypeScript client with a named type for each shared shape (openapi-typescript)', async () => {
    // A parsed document: nothing is fetched. Errors of its own validation (Redocly's minimal rules) throw.
    const source = astToString(await openapiTS(structuredClone(doc) as never, { silent: true }));
    const components = source.slice(source.indexOf('export interface components'));
    for (const name of NAMED) expect(components, `type components["schemas"]["${name}"]`).toMatch(new RegExp(`\\n\\s+${name}: \\{`));
    expect(source).toContain('items: components["schemas"]["Conversation"][]');
    expect(source).toContain('components["schemas"]["ValidationError"]');
  });

  it('passes Redocly lint (recommended) with no error, examples conforming to their schemas', async () => {
    const config = await createConfig({ extends: ['recommended'], rules: { 'no-invalid-schema-examples': 'error', 'no-invalid-media-type-examples': 'error' } });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'file:///openapi.json', config });
    const described = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} (${p.location[0]?.pointer ?? ''})`);
    expect(described.filter((p) => p.startsWith('error'))).toEqual([]);
    expect(problems.filter((p) => !KEPT_WARNINGS.has(p.ruleId)).map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
  });
});
