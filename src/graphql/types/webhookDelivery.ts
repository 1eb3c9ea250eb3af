// The delivery log of outbound webhooks: deliveries (of an endpoint, of an event) with their
// attempts, redelivering one, replaying an endpoint. Endpoints are named by id (endpointId).
import { createContextCache } from '@pothos/core';
import { resolveCursorConnection } from '@pothos/plugin-relay';
import DataLoader from 'dataloader';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookAttempt, type WebhookDelivery } from '../../domain/outboundWebhooks/deliveryLog.js';
import { getWebhookDelivery } from '../../domain/outboundWebhooks/getWebhookDelivery.js';
import { listWebhookAttempts } from '../../domain/outboundWebhooks/listWebhookAttempts.js';
import { listWebhookDeliveries } from '../../domain/outboundWebhooks/listWebhookDeliveries.js';
import { redeliverWebhookDelivery } from '../../domain/outboundWebhooks/redeliverWebhookDelivery.js';
import { REPLAY_MAX_EVENTS, replayWebhookEndpoint, type ReplayResult } from '../../domain/outboundWebhooks/replayWebhookEndpoint.js';
import { builder } from '../builder.js';
import { ownedByBusiness } from '../ownedByBusiness.js';
import type { GraphQLContext } from '../context.js';

const WebhookDeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  description: 'pending: to send, or retrying; delivered: a 2xx came; failed: retries exhausted. Pending deliveries of a disabled endpoint wait until it is enabled again.',
  values: WEBHOOK_DELIVERY_STATUSES,
});

/** Per operation: the attempts of the deliveries asked for together, one statement per business. */
const attemptsOf = createContextCache(
  (ctx: GraphQLContext) =>
    new DataLoader<{ businessId: string; id: string }, WebhookAttempt[], string>(
      async (keys) => {
        const byBusiness = new Map<string, string[]>();
        for (const k of keys) byBusiness.set(k.businessId, [...(byBusiness.get(k.businessId) ?? []), k.id]);
        const loaded = new Map<string, WebhookAttempt[]>();
        for (const [businessId, ids] of byBusiness) {
          for (const [id, attempts] of await listWebhookAttempts(ctx.deps, businessId, ids)) loaded.set(`${businessId}:${id}`, attempts);
        }
        return keys.map((k) => loaded.get(`${k.businessId}:${k.id}`) ?? []);
      },
      { cacheKeyFn: (k) => `${k.businessId}:${k.id}` },
    ),
);

const WebhookAttemptRef = builder.objectRef<WebhookAttempt>('WebhookAttempt').implement({
  description: 'One HTTP attempt of a webhook delivery.',
  fields: (t) => ({
    id: t.exposeString('id'),
    deliveryId: t.exposeString('deliveryId'),
    statusCode: t.exposeInt('statusCode', { nullable: true, description: "The answer's HTTP status; null when none came (see error)." }),
    latencyMs: t.exposeInt('latencyMs'),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed: a timeout, a refused address, a connection error, a non-2xx answer.' }),
    responseBody: t.exposeString('responseBody', { nullable: true, description: "The first KB of the answer's body." }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

type DeliveryParent = WebhookDelivery & { attemptLog?: WebhookAttempt[] };

const WebhookDeliveryRef = builder.objectRef<DeliveryParent>('WebhookDelivery').implement({
  description: 'One event queued for one webhook endpoint, and how its sending went.',
  ...ownedByBusiness((d: { businessId: string }) => d.businessId),
  fields: (t) => ({
    id: t.exposeString('id', { description: "The delivery's id: an endpoint's deliveries go out one at a time, in its order." }),
    businessId: t.exposeString('businessId'),
    endpointId: t.exposeString('endpointId', { description: 'The webhook endpoint it goes to.' }),
    eventId: t.exposeString('eventId', { description: 'The event it carries (evt_<n>, the webhook-id header).' }),
    eventType: t.exposeString('eventType'),
    eventCursor: t.exposeString('eventCursor', { description: "The event's cursor in the log (inboxEvents' after)." }),
    status: t.field({ type: WebhookDeliveryStatusEnum, resolve: (d) => d.status }),
    attempts: t.exposeInt('attempts', { description: 'Attempts made so far.' }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true, description: 'When the next attempt is due (pending only).' }),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    trigger: t.exposeString('trigger', { description: 'Why it was queued: event (as the event happened), replay, or redeliver:<id> (a redelivery of delivery <id>).' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    attemptLog: t.field({
      type: [WebhookAttemptRef],
      description: 'Every attempt, oldest first (for a page of deliveries: one statement for all of them).',
      resolve: (d, _args, ctx) => d.attemptLog ?? attemptsOf(ctx).load({ businessId: d.businessId, id: d.id }),
    }),
  }),
});

const WebhookReplayRef = builder.objectRef<ReplayResult>('WebhookReplay').implement({
  fields: (t) => ({
    queued: t.exposeInt('queued', { description: 'Deliveries queued.' }),
    nextCursor: t.exposeString('nextCursor', { nullable: true, description: 'Replay again with this as `after` to queue the rest; null when everything was queued.' }),
  }),
});

builder.queryFields((t) => ({
  webhookDeliveries: t.connection({
    type: WebhookDeliveryRef,
    description: "The delivery log, newest first: an endpoint's deliveries (endpointId), or an event's to every endpoint of the business (eventId), or both; optionally in one status.",
    args: {
      businessId: t.arg.string({ required: true }),
      endpointId: t.arg.string({ description: "A webhook endpoint's id." }),
      eventId: t.arg.string({ description: "An event's id (evt_<n>)." }),
      status: t.arg({ type: WebhookDeliveryStatusEnum }),
    },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    resolve: (_root, args, ctx) =>
      resolveCursorConnection<Promise<WebhookDelivery[]>>({ args, toCursor: (d) => d.id }, async ({ after, before, limit, inverted }) => {
        const page = await listWebhookDeliveries(ctx.deps, {
          businessId: args.businessId,
          endpointId: args.endpointId ?? null,
          eventId: args.eventId ?? null,
          status: args.status ?? null,
          cursor: after ?? null,
          before: before ?? null,
          limit,
          oldestFirst: inverted,
        });
        return page.deliveries;
      }),
  }),
  webhookDelivery: t.field({
    type: WebhookDeliveryRef,
    description: 'One delivery with its attempts.',
    args: { businessId: t.arg.string({ required: true }), id: t.arg.string({ required: true, description: "The delivery's id." }) },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    resolve: (_root, args, ctx) => getWebhookDelivery(ctx.deps, { businessId: args.businessId, deliveryId: args.id }),
  }),
}));

const RedeliverWebhookDeliveryInput = builder.inputType('RedeliverWebhookDeliveryInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    deliveryId: t.string({ required: true, description: 'The delivery to send again.' }),
  }),
});

const ReplayWebhookEndpointInput = builder.inputType('ReplayWebhookEndpointInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    endpointId: t.string({ required: true }),
    after: t.string({ description: "Replay the events after this cursor (an event's cursor, or a replay's nextCursor)." }),
    since: t.field({ type: 'DateTime', description: 'Or the events written at or after this time (within the last 30 days).' }),
    maxEvents: t.int({ description: `Events queued by this call at most (1 to ${REPLAY_MAX_EVENTS}; default ${REPLAY_MAX_EVENTS}).` }),
  }),
});

builder.mutationFields((t) => ({
  redeliverWebhookDelivery: t.field({
    type: WebhookDeliveryRef,
    description: "Sends a delivery's event to its endpoint again: a new pending delivery (trigger redeliver:<id>), after those already queued. API keys only.",
    args: { input: t.arg({ type: RedeliverWebhookDeliveryInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) => redeliverWebhookDelivery(ctx.deps, { principal: ctx.principal, businessId: input.businessId, deliveryId: input.deliveryId }),
  }),
  replayWebhookEndpoint: t.field({
    type: WebhookReplayRef,
    description:
      "Sends an endpoint's events again from a cursor (after) or a time (since), exactly one: every event after it of the types the endpoint subscribes to, in log order, up to those already dispatched to it; at most maxEvents per call (nextCursor continues). An expired cursor is CURSOR_EXPIRED. API keys only.",
    args: { input: t.arg({ type: ReplayWebhookEndpointInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) =>
      replayWebhookEndpoint(ctx.deps, {
        principal: ctx.principal,
        businessId: input.businessId,
        endpointId: input.endpointId,
        after: input.after ?? null,
        since: input.since ?? null,
        maxEvents: input.maxEvents ?? null,
      }),
  }),
}));
