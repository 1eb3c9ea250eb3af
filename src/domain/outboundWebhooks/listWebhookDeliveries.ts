import { countWebhookDeliveries } from '../../db/sql/countWebhookDeliveries.js';
import { selectWebhookDeliveries, type WebhookDeliveryFilter } from '../../db/sql/selectWebhookDeliveries.js';
import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import { MAX_OFFSET, MAX_PAGE_SIZE } from '../paging.js';
import { assertInboxEventOf, findWebhookEndpoint, parseDeliveryId, parseDeliveryStatus, parseEventId, toWebhookDelivery, type WebhookDelivery } from './deliveryLog.js';

export interface ListWebhookDeliveriesInput {
  businessId: string;
  /** The deliveries of this endpoint; or of `eventId`; or of both. One of them is needed. */
  endpointId?: string | null;
  /** `evt_<n>` (or the bare number): the deliveries of this event to every endpoint of the business. */
  eventId?: string | null;
  status?: string | null;
  /** A delivery id: the deliveries after it in the list's order (older ones, newest first). */
  cursor?: string | null;
  /** A delivery id: the deliveries before it in the list's order. */
  before?: string | null;
  /** 1 to 101 (a page of at most 100, and one row more that says whether another follows); default 20. */
  limit?: number | null;
  /** Rows skipped (page by number, without a cursor). */
  offset?: number | null;
  /** Oldest first instead of newest first. */
  oldestFirst?: boolean;
  /** Also count the whole list. */
  withTotal?: boolean;
}

export interface WebhookDeliveryPage {
  deliveries: WebhookDelivery[];
  /** The whole list's size, when asked for (withTotal). */
  total: number | null;
}

/**
 * The delivery log: deliveries of an endpoint, or of an event across the business's endpoints, newest
 * first, keyset-paged by delivery id, optionally in one status. Another business's endpoint or event
 * is 404, as is one that does not exist.
 */
export async function listWebhookDeliveries(deps: Deps, input: ListWebhookDeliveriesInput): Promise<WebhookDeliveryPage> {
  const limit = input.limit ?? 20;
  const offset = input.offset ?? 0;
  const issues = [
    ...(input.endpointId == null && input.eventId == null ? [{ type: 'missing', loc: ['endpointId'], msg: 'name an endpoint (endpointId) or an event (eventId)', input: null }] : []),
    ...(Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE_SIZE + 1
      ? []
      : [{ type: 'value_error', loc: ['limit'], msg: `must be a whole number from 1 to ${MAX_PAGE_SIZE + 1}`, input: limit }]),
    ...(Number.isInteger(offset) && offset >= 0 && offset <= MAX_OFFSET ? [] : [{ type: 'value_error', loc: ['offset'], msg: `must be a whole number from 0 to ${MAX_OFFSET}`, input: offset }]),
  ];
  if (issues.length) throw new ValidationError(issues);
  const filter: WebhookDeliveryFilter = {
    businessId: input.businessId,
    endpointId: input.endpointId ?? null,
    eventId: input.eventId == null ? null : parseEventId(input.eventId, ['eventId']),
    deliveryId: null,
    status: input.status == null ? null : parseDeliveryStatus(input.status, ['status']),
  };
  const afterId = input.cursor == null ? null : parseDeliveryId(input.cursor, ['cursor']);
  const beforeId = input.before == null ? null : parseDeliveryId(input.before, ['before']);
  if (filter.endpointId !== null) await findWebhookEndpoint(deps.prisma, input.businessId, filter.endpointId);
  if (filter.eventId !== null) await assertInboxEventOf(deps.prisma, input.businessId, filter.eventId);
  const [rows, total] = await Promise.all([
    selectWebhookDeliveries(deps.sql, filter, { afterId, beforeId, limit, offset, oldestFirst: input.oldestFirst ?? false }),
    input.withTotal ? countWebhookDeliveries(deps.sql, filter) : null,
  ]);
  return { deliveries: rows.map(toWebhookDelivery), total };
}
