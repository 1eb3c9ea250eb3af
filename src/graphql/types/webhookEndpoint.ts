// Outbound webhook endpoints: where a business's events are POSTed, signed. API keys manage them; a
// session may only read. Another business's endpoint is WEBHOOK_ENDPOINT_NOT_FOUND everywhere.
import { createWebhookEndpoint } from '../../domain/outboundWebhooks/createWebhookEndpoint.js';
import { deleteWebhookEndpoint } from '../../domain/outboundWebhooks/deleteWebhookEndpoint.js';
import { getWebhookEndpoint } from '../../domain/outboundWebhooks/getWebhookEndpoint.js';
import { countWebhookEndpoints, listWebhookEndpoints } from '../../domain/outboundWebhooks/listWebhookEndpoints.js';
import { rotateWebhookEndpointSecret } from '../../domain/outboundWebhooks/rotateWebhookEndpointSecret.js';
import { testWebhookEndpoint, type WebhookTestResult } from '../../domain/outboundWebhooks/testWebhookEndpoint.js';
import { updateWebhookEndpoint } from '../../domain/outboundWebhooks/updateWebhookEndpoint.js';
import type { WebhookEndpoint } from '../../generated/prisma/client.js';
import { builder } from '../builder.js';
import { ownedByBusiness } from '../ownedByBusiness.js';

/** Rows as the planned select loads them: never the secrets, which the type does not expose (hence the cast). */
const planned = <T>(rows: Promise<T>) => rows as unknown as Promise<T extends unknown[] ? WebhookEndpoint[] : WebhookEndpoint>;

builder.prismaObject('WebhookEndpoint', {
  // Only what the fields below show is read: never a secret, sealed or not.
  select: { id: true, businessId: true },
  ...ownedByBusiness((e: { businessId: string }) => e.businessId),
  description: 'An outbound webhook endpoint: events of its business are POSTed to its URL, signed (Standard Webhooks). Its secret is shown only when created or rotated.',
  fields: (t) => ({
    id: t.exposeString('id', { description: "The endpoint's id (REST's webhook_id)." }),
    businessId: t.exposeString('businessId'),
    url: t.exposeString('url'),
    description: t.exposeString('description', { nullable: true }),
    eventTypes: t.exposeStringList('eventTypes', { description: 'Event types delivered; empty: every type.' }),
    enabled: t.exposeBoolean('enabled'),
    disabledReason: t.exposeString('disabledReason', { nullable: true, description: "Why it is disabled: 'manual' (a caller), 'gone' (the receiver answered 410) or 'failing' (failing too long)." }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    failingSince: t.expose('failingSince', { type: 'DateTime', nullable: true, description: 'First failure of the current run of failures (null after a success).' }),
    previousSecretExpiresAt: t.expose('previousSecretExpiresAt', { type: 'DateTime', nullable: true, description: 'While a rotation grace period runs: when the previous secret stops signing.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const WebhookEndpointSecret = builder.objectRef<{ id: string; secret: string }>('WebhookEndpointSecret').implement({
  description: 'An endpoint with its new signing secret.',
  fields: (t) => ({
    webhookEndpoint: t.prismaField({
      type: 'WebhookEndpoint',
      resolve: (query, parent, _args, ctx) => planned(getWebhookEndpoint(ctx.deps, { principal: ctx.principal, id: parent.id }, query)),
    }),
    secret: t.exposeString('secret', { description: 'The whsec_ signing secret: shown this once, stored only encrypted.' }),
  }),
});

const WebhookTestResultRef = builder.objectRef<WebhookTestResult>('WebhookTestResult').implement({
  description: 'What the receiver answered a test ping (not recorded as a delivery).',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'The ping: its webhook-id header and envelope id (test_<uuid>).' }),
    ok: t.exposeBoolean('ok', { description: 'The receiver answered 2xx.' }),
    statusCode: t.exposeInt('statusCode', { nullable: true, description: 'null: no answer (refused address, timeout, connection error).' }),
    latencyMs: t.exposeInt('latencyMs'),
    error: t.exposeString('error', { nullable: true }),
    responseBody: t.exposeString('responseBody', { nullable: true, description: 'The first KB of the answer.' }),
  }),
});

const DeletedWebhookEndpoint = builder.objectRef<{ id: string }>('DeletedWebhookEndpoint').implement({
  fields: (t) => ({ id: t.exposeString('id', { description: 'The deleted endpoint (its deliveries went with it).' }) }),
});

const CreateWebhookEndpointInput = builder.inputType('CreateWebhookEndpointInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    url: t.string({
      required: true,
      description: 'Absolute http(s) URL, no credentials or fragment; https when PUBLIC_BASE_URL is. Its host must resolve to public addresses (unless OMEGA_WEBHOOK_ALLOW_PRIVATE).',
    }),
    description: t.string(),
    eventTypes: t.stringList({ description: 'Event types to deliver (message.created, ...); empty or omitted: every type.' }),
    enabled: t.boolean({ description: 'Default true.' }),
  }),
});

const UpdateWebhookEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  fields: (t) => ({
    id: t.string({ required: true }),
    url: t.string(),
    description: t.string({ description: 'null: none.' }),
    eventTypes: t.stringList({ description: 'Empty or null: every type.' }),
    enabled: t.boolean({ description: "false records disabledReason 'manual'; true clears why it was disabled and sends what waited, in order." }),
  }),
});

const WebhookEndpointIdInput = builder.inputType('WebhookEndpointIdInput', {
  fields: (t) => ({ id: t.string({ required: true }) }),
});

const RotateWebhookEndpointSecretInput = builder.inputType('RotateWebhookEndpointSecretInput', {
  fields: (t) => ({
    id: t.string({ required: true }),
    expireCurrentNow: t.boolean({ description: 'The current secret stops signing now (it leaked) instead of after the grace period.' }),
  }),
});

builder.queryFields((t) => ({
  webhookEndpoints: t.prismaConnection(
    {
      type: 'WebhookEndpoint',
      cursor: 'id',
      description: "A business's outbound webhook endpoints, newest first (sessions may read them).",
      args: { businessId: t.arg.string({ required: true }) },
      authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
      resolve: (query, _root, args, ctx) => {
        const { take, skip, cursor, ...select } = query;
        return planned(
          listWebhookEndpoints(ctx.deps, { principal: ctx.principal, businessId: args.businessId, page: { take, skip, ...(cursor ? { cursor: cursor as { id: string } } : {}) } }, select),
        );
      },
      totalCount: (_parent, args, ctx) => countWebhookEndpoints(ctx.deps, { principal: ctx.principal, businessId: args.businessId as string }),
    },
    {},
  ),
  webhookEndpoint: t.prismaField({
    type: 'WebhookEndpoint',
    description: 'One outbound webhook endpoint (sessions may read it); never its secret.',
    args: { id: t.arg.string({ required: true }) },
    authScopes: { authenticated: true },
    resolve: (query, _root, args, ctx) => planned(getWebhookEndpoint(ctx.deps, { principal: ctx.principal, id: args.id }, query)),
  }),
}));

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.field({
    type: WebhookEndpointSecret,
    description: 'A new endpoint with its signing secret, shown this once; it receives the events committed from now on (API keys only).',
    args: { input: t.arg({ type: CreateWebhookEndpointInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: async (_root, { input }, ctx) => {
      const created = await createWebhookEndpoint(ctx.deps, {
        principal: ctx.principal,
        businessId: input.businessId,
        url: input.url,
        description: input.description,
        eventTypes: input.eventTypes,
        enabled: input.enabled,
      });
      return { id: created.endpoint.id, secret: created.secret };
    },
  }),
  updateWebhookEndpoint: t.prismaField({
    type: 'WebhookEndpoint',
    description: 'Changes the fields given, with the rules of create (API keys only).',
    args: { input: t.arg({ type: UpdateWebhookEndpointInput, required: true }) },
    authScopes: { authenticated: true },
    resolve: async (query, _root, { input }, ctx) => {
      const updated = await updateWebhookEndpoint(ctx.deps, {
        principal: ctx.principal,
        id: input.id,
        ...(input.url != null ? { url: input.url } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.eventTypes !== undefined ? { eventTypes: input.eventTypes } : {}),
        ...(input.enabled != null ? { enabled: input.enabled } : {}),
      });
      return planned(getWebhookEndpoint(ctx.deps, { principal: ctx.principal, id: updated.id }, query));
    },
  }),
  deleteWebhookEndpoint: t.field({
    type: DeletedWebhookEndpoint,
    description: 'Deletes an endpoint with its deliveries (API keys only).',
    args: { input: t.arg({ type: WebhookEndpointIdInput, required: true }) },
    authScopes: { authenticated: true },
    resolve: (_root, { input }, ctx) => deleteWebhookEndpoint(ctx.deps, { principal: ctx.principal, id: input.id }),
  }),
  rotateWebhookEndpointSecret: t.field({
    type: WebhookEndpointSecret,
    description: 'A new signing secret, shown this once; the previous one signs beside it for OMEGA_WEBHOOK_SECRET_GRACE_HOURS unless expireCurrentNow (API keys only).',
    args: { input: t.arg({ type: RotateWebhookEndpointSecretInput, required: true }) },
    authScopes: { authenticated: true },
    resolve: async (_root, { input }, ctx) => {
      const rotated = await rotateWebhookEndpointSecret(ctx.deps, { principal: ctx.principal, id: input.id, expireCurrentNow: input.expireCurrentNow });
      return { id: rotated.endpoint.id, secret: rotated.secret };
    },
  }),
  testWebhookEndpoint: t.field({
    type: WebhookTestResultRef,
    description: 'POSTs a signed webhook_endpoint.test ping to the endpoint, enabled or not, and answers what the receiver said; not recorded as a delivery (API keys only).',
    args: { input: t.arg({ type: WebhookEndpointIdInput, required: true }) },
    authScopes: { authenticated: true },
    resolve: (_root, { input }, ctx) => testWebhookEndpoint(ctx.deps, { principal: ctx.principal, id: input.id }),
  }),
}));
