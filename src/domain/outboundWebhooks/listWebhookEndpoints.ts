import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { toPrismaPage, type PageArgs } from '../paging.js';
import type { PrismaQuery } from '../prismaQuery.js';
import { presentWebhookEndpoint } from './presentWebhookEndpoint.js';
import { WEBHOOK_ENDPOINT_PUBLIC_FIELDS, type WebhookEndpointView } from './webhookEndpointFields.js';
import { webhookEndpointScope } from './webhookEndpointScope.js';

/**
 * A business's endpoints, newest first (ids are time-ordered UUIDs). Sessions may read them. A
 * business has at most MAX_WEBHOOK_ENDPOINTS: Prisma's cursor paging is enough. Never a secret.
 */
export async function listWebhookEndpoints(deps: Deps, input: { principal: Principal | null; businessId: string; page?: PageArgs }, query: PrismaQuery = {}): Promise<WebhookEndpointView[]> {
  const scope = webhookEndpointScope(input.principal, input.businessId);
  const shape = query.select || query.include ? query : { select: WEBHOOK_ENDPOINT_PUBLIC_FIELDS };
  const rows = (await deps.prisma.webhookEndpoint.findMany({
    ...(shape as object),
    where: scope,
    orderBy: { id: 'desc' },
    ...toPrismaPage(input.page ?? {}),
  })) as WebhookEndpointView[];
  const now = deps.clock.now();
  return rows.map((r) => presentWebhookEndpoint(r, now));
}

export async function countWebhookEndpoints(deps: Deps, input: { principal: Principal | null; businessId: string }): Promise<number> {
  return deps.prisma.webhookEndpoint.count({ where: webhookEndpointScope(input.principal, input.businessId) });
}
