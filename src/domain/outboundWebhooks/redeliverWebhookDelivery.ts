import { runTransaction } from '../../db/transaction.js';
import { assertApiKey, type Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { assertUuid } from '../ids.js';
import { deliveryNotFound, endpointDisabled, findWebhookEndpoint, parseDeliveryId, type WebhookDelivery } from './deliveryLog.js';
import { getWebhookDelivery } from './getWebhookDelivery.js';
import { wakeDeliverer } from './wakeDeliverer.js';

/**
 * Sends one delivery's event again: a new pending delivery of the same event to the same endpoint
 * (trigger 'redeliver:<id of the original>'), after the endpoint's deliveries already queued, with
 * its deliverer woken in the same transaction. The original stays as it was. API keys only (a
 * session reads the log but does not send); the endpoint must be enabled (409 WEBHOOK_ENDPOINT_DISABLED).
 */
export async function redeliverWebhookDelivery(deps: Deps, input: { principal: Principal | null; businessId: string; deliveryId: string; endpointId?: string | null }): Promise<WebhookDelivery> {
  assertApiKey(input.principal);
  const deliveryId = parseDeliveryId(input.deliveryId, ['deliveryId']);
  const endpointId = input.endpointId == null ? null : assertUuid(input.endpointId, ['endpointId']);
  const created = await runTransaction(deps, async (tx) => {
    const original = await tx.prisma.webhookDelivery.findFirst({
      where: { id: BigInt(deliveryId), businessId: input.businessId, ...(endpointId ? { endpointId } : {}) },
      select: { id: true, endpointId: true, eventId: true },
    });
    if (!original) throw deliveryNotFound(input.businessId, deliveryId, endpointId);
    const endpoint = await findWebhookEndpoint(tx.prisma, input.businessId, original.endpointId);
    if (!endpoint.enabled) throw endpointDisabled(endpoint.id);
    const delivery = await tx.prisma.webhookDelivery.create({
      data: { businessId: input.businessId, endpointId: original.endpointId, eventId: original.eventId, trigger: `redeliver:${String(original.id)}` },
      select: { id: true },
    });
    await wakeDeliverer(tx.sql, original.endpointId);
    return String(delivery.id);
  });
  return getWebhookDelivery(deps, { businessId: input.businessId, deliveryId: created });
}
