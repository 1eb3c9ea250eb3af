// The delivery log of outbound webhooks: deliveries of an endpoint or of an event, one delivery
// with its attempts, redeliver one, replay an endpoint from a cursor or a time.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type Static, type TObject } from 'typebox';
import type { Deps } from '../src/domain/deps.js';
import { INBOX_EVENT_RETENTION_DAYS } from '../src/domain/inbox/pruneInboxEvents.js';
import { WEBHOOK_DELIVERY_STATUSES } from '../src/domain/outboundWebhooks/deliveryLog.js';
import { getWebhookDelivery } from '../src/domain/outboundWebhooks/getWebhookDelivery.js';
import { listWebhookDeliveries, type ListWebhookDeliveriesInput } from '../src/domain/outboundWebhooks/listWebhookDeliveries.js';
import { redeliverWebhookDelivery } from '../src/domain/outboundWebhooks/redeliverWebhookDelivery.js';
import { REPLAY_MAX_EVENTS, replayWebhookEndpoint } from '../src/domain/outboundWebhooks/replayWebhookEndpoint.js';
import { describe } from './catalog.js';
import { toWebhookAttemptJson, toWebhookDeliveryJson, WebhookAttemptSchema, WebhookDeliverySchema } from './eventSchemas.js';
import { MAX_PAGE } from './paging.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, IsoDateTime, Nullable, optional, Ref, StringEnum, Uuid } from './schemas.js';

const deliveryId = () => Type.String({ pattern: '^[0-9]{1,19}$', description: "A delivery's id." });
const webhookParams = Type.Object({ ...businessIdParams.properties, webhook_id: Uuid({ description: "The webhook endpoint's id." }) });
const deliveryParams = Type.Object({ ...webhookParams.properties, delivery_id: deliveryId() });
const eventParams = Type.Object({ ...businessIdParams.properties, event_id: Type.String({ pattern: '^(evt_)?[0-9]{1,19}$', description: "The event's `id` (`evt_<n>`)." }) });

const deliveryListQuery = {
  ...optional({
    page: Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1, description: `Page number, from 1 to ${MAX_PAGE} (ignored with cursor).` }),
    page_size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: deliveryId(),
    status: StringEnum(WEBHOOK_DELIVERY_STATUSES),
  }),
};
type DeliveryListQuery = Static<TObject<typeof deliveryListQuery>>;

const deliveryPage = Type.Object(
  { items: Type.Array(Ref(WebhookDeliverySchema)), total: Type.Integer(), page: Type.Integer(), page_size: Type.Integer(), next_cursor: Nullable(Type.String()) },
  { description: 'A page of WebhookDelivery items, newest first: `total` counts the whole list; `next_cursor` continues it (null on the last page).' },
);

const deliveryDetail = Type.Object(
  { ...WebhookDeliverySchema.properties, attempt_log: Type.Array(Ref(WebhookAttemptSchema), { description: 'Every attempt, oldest first.' }) },
  { description: 'A delivery with every attempt made.' },
);

const replayBody = Type.Object(
  optional({
    after: Type.String({ maxLength: 64, description: "Replay the events after this cursor (an event's `cursor`, or a replay's `next_cursor`)." }),
    since: IsoDateTime({ description: `Or the events written at or after this time (within the last ${INBOX_EVENT_RETENTION_DAYS} days).` }),
    max_events: Type.Integer({ minimum: 1, maximum: REPLAY_MAX_EVENTS, default: REPLAY_MAX_EVENTS, description: `Events queued by this call at most (1 to ${REPLAY_MAX_EVENTS}).` }),
  }),
  { additionalProperties: false, description: 'Exactly one of `after` and `since`.' },
);

const replayed = Type.Object({
  queued: Type.Integer({ description: 'Deliveries queued.' }),
  next_cursor: Nullable(Type.String({ description: 'Call again with this as `after` to queue the rest; null when everything was queued.' })),
});

/** One page of a delivery list, in the REST paging shape. */
async function deliveryList(deps: Deps, input: Pick<ListWebhookDeliveriesInput, 'businessId' | 'endpointId' | 'eventId'>, q: DeliveryListQuery) {
  const pageSize = q.page_size ?? 20;
  const page = q.page ?? 1;
  const list = await listWebhookDeliveries(deps, {
    ...input,
    status: q.status ?? null,
    limit: pageSize + 1,
    ...(q.cursor ? { cursor: q.cursor } : { offset: (page - 1) * pageSize }),
    withTotal: true,
  });
  const items = list.deliveries.slice(0, pageSize);
  return {
    items: items.map(toWebhookDeliveryJson),
    total: list.total ?? 0,
    page,
    page_size: pageSize,
    next_cursor: list.deliveries.length > pageSize ? (items.at(-1)?.id ?? null) : null,
  };
}

const notFound = (what: string) => ({ 404: errorResponse(what) });

export function webhookDeliveriesRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/businesses/:business_id/webhooks/:webhook_id/deliveries',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/webhooks/:webhook_id/deliveries'),
          security: apiKeySecurity,
          description: "The endpoint's deliveries, newest first, optionally in one `status`: each with its event, attempts so far, last status code and error, and when the next attempt is due.",
          params: webhookParams,
          querystring: Type.Object(deliveryListQuery),
          response: { 200: deliveryPage, ...notFound('WEBHOOK_ENDPOINT_NOT_FOUND'), ...authErrors },
        },
      },
      async (req) => deliveryList(deps, { businessId: req.params.business_id, endpointId: req.params.webhook_id }, req.query),
    );

    app.get(
      '/businesses/:business_id/events/:event_id/deliveries',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/events/:event_id/deliveries'),
          security: apiKeySecurity,
          description: "The deliveries of one event to the business's endpoints (first, redeliveries and replays), newest first.",
          params: eventParams,
          querystring: Type.Object(deliveryListQuery),
          response: { 200: deliveryPage, ...notFound('EVENT_NOT_FOUND (events are kept 30 days)'), ...authErrors },
        },
      },
      async (req) => deliveryList(deps, { businessId: req.params.business_id, eventId: req.params.event_id }, req.query),
    );

    app.get(
      '/businesses/:business_id/webhooks/:webhook_id/deliveries/:delivery_id',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/webhooks/:webhook_id/deliveries/:delivery_id'),
          security: apiKeySecurity,
          description: 'One delivery with every attempt: status code, latency, error and the first KB of the answer.',
          params: deliveryParams,
          response: { 200: deliveryDetail, ...notFound('WEBHOOK_DELIVERY_NOT_FOUND'), ...authErrors },
        },
      },
      async (req) => {
        const d = await getWebhookDelivery(deps, { businessId: req.params.business_id, endpointId: req.params.webhook_id, deliveryId: req.params.delivery_id });
        return { ...toWebhookDeliveryJson(d), attempt_log: d.attemptLog.map(toWebhookAttemptJson) };
      },
    );

    app.post(
      '/businesses/:business_id/webhooks/:webhook_id/deliveries/:delivery_id/redeliver',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/webhooks/:webhook_id/deliveries/:delivery_id/redeliver'),
          security: apiKeySecurity,
          description:
            "Sends the delivery's event to the endpoint again: a new pending delivery (trigger `redeliver:<delivery_id>`), after the endpoint's deliveries already queued; the original is kept as it was. API keys only (a session token: 403 API_KEY_REQUIRED).",
          params: deliveryParams,
          response: {
            202: Ref(WebhookDeliverySchema, 'The new delivery.'),
            ...notFound('WEBHOOK_DELIVERY_NOT_FOUND'),
            409: errorResponse('WEBHOOK_ENDPOINT_DISABLED'),
            ...authErrors,
          },
        },
      },
      async (req, reply) => {
        const d = await redeliverWebhookDelivery(deps, { principal: req.principal, businessId: req.params.business_id, endpointId: req.params.webhook_id, deliveryId: req.params.delivery_id });
        return reply.status(202).send(toWebhookDeliveryJson(d));
      },
    );

    app.post(
      '/businesses/:business_id/webhooks/:webhook_id/replay',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/webhooks/:webhook_id/replay'),
          security: apiKeySecurity,
          description: [
            "Sends the endpoint's events again from a point of the log: `after` a cursor, or `since` a time (exactly one).",
            'Every event of the business after it, of the types the endpoint subscribes to, is queued (trigger `replay`) in log order, up to the events already dispatched to the endpoint (later ones are on their way).',
            `At most \`max_events\` (${REPLAY_MAX_EVENTS}) per call: \`next_cursor\` continues. A cursor older than the log keeps: 410 CURSOR_EXPIRED. API keys only.`,
          ].join(' '),
          params: webhookParams,
          body: replayBody,
          response: {
            202: replayed,
            ...notFound('WEBHOOK_ENDPOINT_NOT_FOUND'),
            409: errorResponse('WEBHOOK_ENDPOINT_DISABLED'),
            410: errorResponse('CURSOR_EXPIRED: the cursor is older than the event log keeps'),
            ...authErrors,
          },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const result = await replayWebhookEndpoint(deps, {
          principal: req.principal,
          businessId: req.params.business_id,
          endpointId: req.params.webhook_id,
          after: b.after ?? null,
          since: b.since ? new Date(b.since) : null,
          maxEvents: b.max_events ?? null,
        });
        return reply.status(202).send({ queued: result.queued, next_cursor: result.nextCursor });
      },
    );
  };
}
