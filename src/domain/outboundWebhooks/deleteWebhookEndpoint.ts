import { assertApiKey, type Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { assertUuid } from '../ids.js';
import { webhookEndpointNotFound, webhookEndpointScope } from './webhookEndpointScope.js';

/**
 * Deletes an endpoint (API keys only) with its deliveries and their attempts (ON DELETE CASCADE).
 * A deliverer already sending to it finds it gone and stops.
 */
export async function deleteWebhookEndpoint(deps: Deps, input: { principal: Principal | null; businessId?: string | null; id: string }): Promise<{ id: string }> {
  assertApiKey(input.principal);
  const scope = webhookEndpointScope(input.principal, input.businessId);
  const id = assertUuid(input.id, ['id']);
  const { count } = await deps.prisma.webhookEndpoint.deleteMany({ where: { id, ...scope } });
  if (count === 0) throw webhookEndpointNotFound(input.id, input.businessId);
  return { id };
}
