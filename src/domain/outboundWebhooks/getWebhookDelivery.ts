import { selectWebhookDeliveries } from '../../db/sql/selectWebhookDeliveries.js';
import type { Deps } from '../deps.js';
import { assertUuid } from '../ids.js';
import { deliveryNotFound, parseDeliveryId, toWebhookDelivery, type WebhookAttempt, type WebhookDelivery } from './deliveryLog.js';
import { listWebhookAttempts } from './listWebhookAttempts.js';

export type WebhookDeliveryWithAttempts = WebhookDelivery & { attemptLog: WebhookAttempt[] };

/**
 * One delivery of a business with every attempt made (status code, latency, error, the first KB of
 * the answer), oldest first. With `endpointId`, it must be that endpoint's. Another business's
 * delivery is 404, as is one that does not exist.
 */
export async function getWebhookDelivery(deps: Deps, input: { businessId: string; deliveryId: string; endpointId?: string | null }): Promise<WebhookDeliveryWithAttempts> {
  const deliveryId = parseDeliveryId(input.deliveryId, ['deliveryId']);
  const endpointId = input.endpointId == null ? null : assertUuid(input.endpointId, ['endpointId']);
  const [row] = await selectWebhookDeliveries(
    deps.sql,
    { businessId: input.businessId, endpointId, eventId: null, deliveryId, status: null },
    { afterId: null, beforeId: null, limit: 1, offset: 0, oldestFirst: false },
  );
  if (!row) throw deliveryNotFound(input.businessId, deliveryId, endpointId);
  const attempts = await listWebhookAttempts(deps, input.businessId, [row.id]);
  return { ...toWebhookDelivery(row), attemptLog: attempts.get(row.id) ?? [] };
}
