// What the delivery log's operations share (listWebhookDeliveries, getWebhookDelivery,
// redeliverWebhookDelivery, replayWebhookEndpoint): the shape of a delivery and an attempt, the
// checks of their ids, and the lookups that answer 404 for another business's endpoint or event.
import type { WebhookDeliveryRow } from '../../db/sql/selectWebhookDeliveries.js';
import type { PrismaClient } from '../../db/prisma.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { assertUuid } from '../ids.js';
import { inboxEventCursor } from '../inbox/streamInboxEvents.js';
import { inboxEventId } from '../inbox/serializeInboxEvent.js';
import { webhookEndpointNotFound } from './webhookEndpointScope.js';

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One event queued for one endpoint, as the delivery log shows it. */
export interface WebhookDelivery {
  /** The delivery's id (a number, as text): an endpoint's deliveries go out in its order. */
  id: string;
  businessId: string;
  endpointId: string;
  /** The event's id as webhooks carry it (`evt_<n>`, the `webhook-id` header). */
  eventId: string;
  eventType: string;
  /** The event's cursor in the log (the feed's and the subscription's `after`). */
  eventCursor: string;
  status: WebhookDeliveryStatus;
  /** Attempts made so far. */
  attempts: number;
  /** When the next attempt is due; null unless pending. */
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  /** Why it was queued: 'event' (the dispatcher), 'replay', or 'redeliver:<id of the delivery it repeats>'. */
  trigger: string;
  deliveredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One HTTP attempt of a delivery. */
export interface WebhookAttempt {
  id: string;
  deliveryId: string;
  /** The answer's status; null when none came (timeout, refused address, connection error: see error). */
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  /** The first KB of the answer's body. */
  responseBody: string | null;
  createdAt: Date;
}

export function toWebhookDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    businessId: row.business_id,
    endpointId: row.endpoint_id,
    eventId: inboxEventId({ id: row.event_id }),
    eventType: row.event_type,
    eventCursor: inboxEventCursor({ xid: row.event_xid, id: row.event_id }),
    status: row.status as WebhookDeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    trigger: row.trigger,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const MAX_BIGINT = 2n ** 63n - 1n;

/** A delivery's id (or a page cursor, which is one): a positive whole number, as text. */
export function parseDeliveryId(value: string, loc: (string | number)[]): string {
  if (!/^\d{1,19}$/.test(value) || BigInt(value) < 1n || BigInt(value) > MAX_BIGINT) {
    throw new ValidationError([{ type: 'value_error', loc, msg: 'must be a webhook delivery id (a whole number)', input: value }]);
  }
  return String(BigInt(value));
}

/** An event's id as webhooks and the feed carry it (`evt_<n>`), or its bare number: the number. */
export function parseEventId(value: string, loc: (string | number)[]): string {
  const match = /^(?:evt_)?(\d{1,19})$/.exec(value);
  if (!match || BigInt(match[1]!) < 1n || BigInt(match[1]!) > MAX_BIGINT) {
    throw new ValidationError([{ type: 'value_error', loc, msg: 'must be an event id (evt_<number>, the id of an event)', input: value }]);
  }
  return String(BigInt(match[1]!));
}

export function parseDeliveryStatus(value: string, loc: (string | number)[]): WebhookDeliveryStatus {
  if (!(WEBHOOK_DELIVERY_STATUSES as readonly string[]).includes(value)) {
    throw new ValidationError([{ type: 'enum', loc, msg: `must be one of ${WEBHOOK_DELIVERY_STATUSES.join(', ')}`, input: value }]);
  }
  return value as WebhookDeliveryStatus;
}

export function deliveryNotFound(businessId: string, deliveryId: string, endpointId: string | null): NotFoundError {
  return new NotFoundError('WEBHOOK_DELIVERY_NOT_FOUND', `No webhook delivery ${deliveryId}${endpointId ? ` of endpoint ${endpointId}` : ''} in business ${JSON.stringify(businessId)}.`);
}

/** Nothing is sent to a disabled endpoint: redeliver and replay refuse it. */
export function endpointDisabled(endpointId: string): ConflictError {
  return new ConflictError('WEBHOOK_ENDPOINT_DISABLED', `Webhook endpoint ${endpointId} is disabled: nothing is sent to it. Enable it first.`);
}

/** The endpoint of this business (404 WEBHOOK_ENDPOINT_NOT_FOUND for another business's, or none). */
export async function findWebhookEndpoint(prisma: Pick<PrismaClient, 'webhookEndpoint'>, businessId: string, endpointId: string): Promise<{ id: string; enabled: boolean; eventTypes: string[] }> {
  assertUuid(endpointId, ['endpointId']);
  const endpoint = await prisma.webhookEndpoint.findFirst({ where: { id: endpointId, businessId }, select: { id: true, enabled: true, eventTypes: true } });
  if (!endpoint) throw webhookEndpointNotFound(endpointId, businessId);
  return endpoint;
}

/** The event of this business (404 EVENT_NOT_FOUND for another business's, or one pruned). */
export async function assertInboxEventOf(prisma: Pick<PrismaClient, 'inboxEvent'>, businessId: string, eventId: string): Promise<void> {
  const event = await prisma.inboxEvent.findFirst({ where: { id: BigInt(eventId), businessId }, select: { id: true } });
  if (!event) throw new NotFoundError('EVENT_NOT_FOUND', `No event ${inboxEventId({ id: eventId })} in business ${JSON.stringify(businessId)} (events are kept 30 days).`);
}
