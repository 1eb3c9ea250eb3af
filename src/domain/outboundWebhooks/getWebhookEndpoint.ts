import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { assertUuid } from '../ids.js';
import type { PrismaQuery } from '../prismaQuery.js';
import { presentWebhookEndpoint } from './presentWebhookEndpoint.js';
import { WEBHOOK_ENDPOINT_PUBLIC_FIELDS, type WebhookEndpointView } from './webhookEndpointFields.js';
import { webhookEndpointNotFound, webhookEndpointScope } from './webhookEndpointScope.js';

/**
 * One endpoint, without its secrets. Sessions may read it. One of another business (or none, or
 * one outside `businessId` when given) is 404 WEBHOOK_ENDPOINT_NOT_FOUND.
 */
export async function getWebhookEndpoint(deps: Deps, input: { principal: Principal | null; businessId?: string | null; id: string }, query: PrismaQuery = {}): Promise<WebhookEndpointView> {
  const scope = webhookEndpointScope(input.principal, input.businessId);
  const id = assertUuid(input.id, ['id']);
  const shape = query.select || query.include ? query : { select: WEBHOOK_ENDPOINT_PUBLIC_FIELDS };
  const row = (await deps.prisma.webhookEndpoint.findFirst({ ...(shape as object), where: { id, ...scope } })) as WebhookEndpointView | null;
  if (!row) throw webhookEndpointNotFound(input.id, input.businessId);
  return presentWebhookEndpoint(row, deps.clock.now());
}
