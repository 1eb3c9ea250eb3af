import type { Deps } from '../deps.js';
import type { WebhookAttempt } from './deliveryLog.js';

/** The attempts of these deliveries of a business, oldest first, by delivery: one statement for all of them. */
export async function listWebhookAttempts(deps: Deps, businessId: string, deliveryIds: readonly string[]): Promise<Map<string, WebhookAttempt[]>> {
  const byDelivery = new Map<string, WebhookAttempt[]>(deliveryIds.map((id) => [id, []]));
  if (deliveryIds.length === 0) return byDelivery;
  const rows = await deps.prisma.webhookAttempt.findMany({ where: { businessId, deliveryId: { in: deliveryIds.map((id) => BigInt(id)) } }, orderBy: [{ deliveryId: 'asc' }, { id: 'asc' }] });
  for (const a of rows) {
    byDelivery.get(String(a.deliveryId))?.push({
      id: String(a.id),
      deliveryId: String(a.deliveryId),
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      error: a.error,
      responseBody: a.responseBody,
      createdAt: a.createdAt,
    });
  }
  return byDelivery;
}
