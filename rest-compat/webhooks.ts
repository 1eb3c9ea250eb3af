// Outbound webhook endpoints of a business (Omega's own routes, beyond the index): list, create,
// read, update, delete, rotate the signing secret, send a test ping. API keys manage them; a
// session may only read. Another business's endpoint is 404 on every route.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Deps } from '../src/domain/deps.js';
import { INBOX_EVENT_TYPES } from '../src/domain/inbox/inboxEventTypes.js';
import { createWebhookEndpoint } from '../src/domain/outboundWebhooks/createWebhookEndpoint.js';
import { deleteWebhookEndpoint } from '../src/domain/outboundWebhooks/deleteWebhookEndpoint.js';
import { getWebhookEndpoint } from '../src/domain/outboundWebhooks/getWebhookEndpoint.js';
import { countWebhookEndpoints, listWebhookEndpoints } from '../src/domain/outboundWebhooks/listWebhookEndpoints.js';
import { rotateWebhookEndpointSecret } from '../src/domain/outboundWebhooks/rotateWebhookEndpointSecret.js';
import { testWebhookEndpoint } from '../src/domain/outboundWebhooks/testWebhookEndpoint.js';
import { updateWebhookEndpoint } from '../src/domain/outboundWebhooks/updateWebhookEndpoint.js';
import { MAX_WEBHOOK_DESCRIPTION_LENGTH, MAX_WEBHOOK_ENDPOINTS, MAX_WEBHOOK_URL_LENGTH, type WebhookEndpointView } from '../src/domain/outboundWebhooks/webhookEndpointFields.js';
import { describe } from './catalog.js';
import { pageSchema, pagingQuery, restList, restPage } from './paging.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, IsoDateTime, Nullable, optional, Ref, StringEnum, Uuid } from './schemas.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

const EXAMPLE_ID = '01938a6e-5f2b-7c41-9d3e-2a7b8c9d0e1f';

export const WebhookEndpointSchema = Type.Object(
  {
    id: Type.String(),
    business_id: Type.String(),
    url: Type.String(),
    description: Nullable(Type.String()),
    event_types: Type.Array(Type.String(), { description: 'Event types delivered; empty: every type.' }),
    enabled: Type.Boolean(),
    disabled_reason: Nullable(Type.String({ description: "Why it is disabled: 'manual' (a caller), 'gone' (the receiver answered 410) or 'failing' (failing too long)." })),
    disabled_at: Nullable(IsoDateTime()),
    failing_since: Nullable(IsoDateTime({ description: 'First failure of the current run of failures (null after a success).' })),
    previous_secret_expires_at: Nullable(IsoDateTime({ description: 'While a rotation grace period runs: when the previous secret stops signing.' })),
    created_at: IsoDateTime(),
    updated_at: IsoDateTime(),
  },
  {
    $id: 'WebhookEndpoint',
    description: 'An outbound webhook endpoint of a business: where its events are POSTed, signed (Standard Webhooks). Its secret is shown only when created or rotated.',
    example: {
      id: EXAMPLE_ID,
      business_id: 'demo',
      url: 'https://hooks.example.com/omega',
      description: 'CRM sync',
      event_types: ['message.created', 'conversation.updated'],
      enabled: true,
      disabled_reason: null,
      disabled_at: null,
      failing_since: null,
      previous_secret_expires_at: null,
      created_at: '2026-01-05T10:00:00.000Z',
      updated_at: '2026-01-05T10:00:00.000Z',
    },
  },
);

export const toWebhookEndpoint = (e: WebhookEndpointView) => ({
  id: e.id,
  business_id: e.businessId,
  url: e.url,
  description: e.description,
  event_types: e.eventTypes,
  enabled: e.enabled,
  disabled_reason: e.disabledReason,
  disabled_at: iso(e.disabledAt),
  failing_since: iso(e.failingSince),
  previous_secret_expires_at: iso(e.previousSecretExpiresAt),
  created_at: e.createdAt.toISOString(),
  updated_at: e.updatedAt.toISOString(),
});

const withSecret = Type.Object(
  { ...WebhookEndpointSchema.properties, secret: Type.String({ description: 'The whsec_ signing secret: shown this once, stored only encrypted.' }) },
  { description: 'The endpoint with its new signing secret, shown this once.' },
);

const fields = {
  url: Type.String({
    minLength: 1,
    maxLength: MAX_WEBHOOK_URL_LENGTH,
    description: 'Absolute http(s) URL, no credentials or fragment; https when PUBLIC_BASE_URL is. Its host must resolve to public addresses (unless OMEGA_WEBHOOK_ALLOW_PRIVATE).',
  }),
  description: Nullable(Type.String({ maxLength: MAX_WEBHOOK_DESCRIPTION_LENGTH })),
  event_types: Type.Array(StringEnum(INBOX_EVENT_TYPES), { maxItems: 50, description: 'Event types to deliver; empty or omitted: every type.' }),
  enabled: Type.Boolean({ description: 'Default true.' }),
};

const endpointParams = Type.Object({ ...businessIdParams.properties, webhook_id: Uuid() });
const notFound = { 404: errorResponse('WEBHOOK_ENDPOINT_NOT_FOUND: no such endpoint in this business') };
const keysOnly = 'API keys only: a session token may read endpoints but answers 403 API_KEY_REQUIRED here.';
const readers: { [scheme: string]: string[] }[] = [...apiKeySecurity, { BearerToken: [] }, { SessionCookie: [] }];

export function webhooksRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/businesses/:business_id/webhooks',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/webhooks'),
          description: 'Newest first. Sessions may read.',
          security: readers,
          params: businessIdParams,
          querystring: Type.Object(pagingQuery),
          response: { 200: pageSchema(WebhookEndpointSchema), ...authErrors },
        },
      },
      async (req) => {
        const paging = restPage(req.query);
        const input = { principal: req.principal, businessId: req.params.business_id };
        const [rows, total] = await Promise.all([listWebhookEndpoints(deps, { ...input, page: paging.args }), countWebhookEndpoints(deps, input)]);
        return restList(rows, paging, total, toWebhookEndpoint);
      },
    );

    app.post(
      '/businesses/:business_id/webhooks',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/webhooks'),
          description: `A new endpoint with a new signing secret, answered this once. It receives the events committed from now on. At most ${MAX_WEBHOOK_ENDPOINTS} per business (409 WEBHOOK_ENDPOINT_LIMIT). ${keysOnly}`,
          security: apiKeySecurity,
          params: businessIdParams,
          body: Type.Object({ url: fields.url, ...optional({ description: fields.description, event_types: fields.event_types, enabled: fields.enabled }) }, { additionalProperties: false }),
          response: { 201: withSecret, 409: errorResponse('WEBHOOK_ENDPOINT_LIMIT'), ...authErrors },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const created = await createWebhookEndpoint(deps, {
          principal: req.principal,
          businessId: req.params.business_id,
          url: b.url,
          description: b.description,
          eventTypes: b.event_types,
          enabled: b.enabled,
        });
        return reply.status(201).send({ ...toWebhookEndpoint(created.endpoint), secret: created.secret });
      },
    );

    app.get(
      '/businesses/:business_id/webhooks/:webhook_id',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/webhooks/:webhook_id'),
          description: 'Never the secret. Sessions may read.',
          security: readers,
          params: endpointParams,
          response: { 200: Ref(WebhookEndpointSchema), ...notFound, ...authErrors },
        },
      },
      async (req) => toWebhookEndpoint(await getWebhookEndpoint(deps, { principal: req.principal, businessId: req.params.business_id, id: req.params.webhook_id })),
    );

    app.patch(
      '/businesses/:business_id/webhooks/:webhook_id',
      {
        schema: {
          ...describe('PATCH', '/businesses/:business_id/webhooks/:webhook_id'),
          description: `Changes the fields given (the rules of create). enabled false records disabled_reason 'manual'; enabled true clears why it was disabled and sends what waited, in order. ${keysOnly}`,
          security: apiKeySecurity,
          params: endpointParams,
          body: Type.Object(optional(fields), { additionalProperties: false }),
          response: { 200: Ref(WebhookEndpointSchema), ...notFound, ...authErrors },
        },
      },
      async (req) => {
        const b = req.body ?? {};
        const endpoint = await updateWebhookEndpoint(deps, {
          principal: req.principal,
          businessId: req.params.business_id,
          id: req.params.webhook_id,
          ...(b.url !== undefined ? { url: b.url } : {}),
          ...(b.description !== undefined ? { description: b.description } : {}),
          ...(b.event_types !== undefined ? { eventTypes: b.event_types } : {}),
          ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
        });
        return toWebhookEndpoint(endpoint);
      },
    );

    app.delete(
      '/businesses/:business_id/webhooks/:webhook_id',
      {
        schema: {
          ...describe('DELETE', '/businesses/:business_id/webhooks/:webhook_id'),
          description: `Deletes the endpoint with its deliveries. ${keysOnly}`,
          security: apiKeySecurity,
          params: endpointParams,
          response: { 204: Type.Null({ description: 'Deleted' }), ...notFound, ...authErrors },
        },
      },
      async (req, reply) => {
        await deleteWebhookEndpoint(deps, { principal: req.principal, businessId: req.params.business_id, id: req.params.webhook_id });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/businesses/:business_id/webhooks/:webhook_id/rotate-secret',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/webhooks/:webhook_id/rotate-secret'),
          description: `A new signing secret, answered this once. The previous one keeps signing beside it (both signatures on every request) for OMEGA_WEBHOOK_SECRET_GRACE_HOURS, until previous_secret_expires_at; expire_current_now: true stops it at once. ${keysOnly}`,
          security: apiKeySecurity,
          params: endpointParams,
          body: Type.Object(optional({ expire_current_now: Type.Boolean({ description: 'The current secret stops signing now (it leaked) instead of after the grace period.' }) }), {
            additionalProperties: false,
          }),
          response: { 200: withSecret, ...notFound, ...authErrors },
        },
      },
      async (req) => {
        const rotated = await rotateWebhookEndpointSecret(deps, {
          principal: req.principal,
          businessId: req.params.business_id,
          id: req.params.webhook_id,
          expireCurrentNow: req.body?.expire_current_now ?? false,
        });
        return { ...toWebhookEndpoint(rotated.endpoint), secret: rotated.secret };
      },
    );

    app.post(
      '/businesses/:business_id/webhooks/:webhook_id/test',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/webhooks/:webhook_id/test'),
          description: `POSTs a signed webhook_endpoint.test ping to the endpoint, enabled or not, as deliveries go, and answers what the receiver said (200 whatever it said). Not recorded as a delivery. ${keysOnly}`,
          security: apiKeySecurity,
          params: endpointParams,
          response: {
            200: Type.Object({
              id: Type.String({ description: 'The ping: its webhook-id header and envelope id (test_<uuid>).' }),
              ok: Type.Boolean({ description: 'The receiver answered 2xx.' }),
              status_code: Nullable(Type.Integer({ description: 'null: no answer (refused address, timeout, connection error).' })),
              latency_ms: Type.Integer(),
              error: Nullable(Type.String()),
              response_body: Nullable(Type.String({ description: 'The first KB of the answer.' })),
            }),
            ...notFound,
            ...authErrors,
          },
        },
      },
      async (req) => {
        const r = await testWebhookEndpoint(deps, { principal: req.principal, businessId: req.params.business_id, id: req.params.webhook_id });
        return { id: r.id, ok: r.ok, status_code: r.statusCode, latency_ms: r.latencyMs, error: r.error, response_body: r.responseBody };
      },
    );
  };
}
