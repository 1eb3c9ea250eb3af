import { lockWebhookEndpoint } from '../../db/sql/lockWebhookEndpoint.js';
import { runTransaction } from '../../db/transaction.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { assertApiKey, type Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { assertUuid } from '../ids.js';
import { checkWebhookEndpointInput } from './checkWebhookEndpointInput.js';
import { presentWebhookEndpoint } from './presentWebhookEndpoint.js';
import { wakeDeliverer } from './wakeDeliverer.js';
import { WEBHOOK_ENDPOINT_PUBLIC_FIELDS, type WebhookEndpointView } from './webhookEndpointFields.js';
import { webhookEndpointNotFound, webhookEndpointScope } from './webhookEndpointScope.js';

export interface UpdateWebhookEndpointInput {
  principal: Principal | null;
  /** The business the caller names (REST's path); omitted: the endpoint's own. */
  businessId?: string | null;
  id: string;
  /** Each field left out (undefined) stays as it is. */
  url?: string;
  /** null: none. */
  description?: string | null;
  /** Empty or null: every type. */
  eventTypes?: readonly string[] | null;
  enabled?: boolean;
}

/**
 * Changes an endpoint's URL, description, event types or state (API keys only), with the rules of
 * createWebhookEndpoint. Disabling records why ('manual'); enabling clears why it was disabled
 * (manually, 410 Gone or failing too long) and its run of failures, and wakes its deliverer: what
 * waited while it was disabled goes out, in order.
 */
export async function updateWebhookEndpoint(deps: Deps, input: UpdateWebhookEndpointInput): Promise<WebhookEndpointView> {
  assertApiKey(input.principal);
  const scope = webhookEndpointScope(input.principal, input.businessId);
  const id = assertUuid(input.id, ['id']);
  const fields = await checkWebhookEndpointInput(deps, {
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.eventTypes !== undefined ? { eventTypes: input.eventTypes } : {}),
  });
  const now = deps.clock.now();
  const updated = await runTransaction(deps, async (tx) => {
    const locked = await lockWebhookEndpoint(tx.sql, id);
    if (!locked || (scope.businessId !== undefined && locked.businessId !== scope.businessId)) throw webhookEndpointNotFound(input.id, input.businessId);
    const current = await tx.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id }, select: { enabled: true } });
    const data: Prisma.WebhookEndpointUpdateInput = { ...fields };
    let wake = false;
    // Either way the lease goes: a deliverer still running stops at its next write (the endpoint is
    // disabled, or its lease is gone), and one woken on enabling is not turned away by a stale lease.
    if (input.enabled === true && !current.enabled) {
      Object.assign(data, { enabled: true, disabledReason: null, disabledAt: null, failingSince: null, leaseUntil: null });
      // What waited goes now, not at the retry time its last failure set (up to 12 h away).
      await tx.prisma.webhookDelivery.updateMany({ where: { endpointId: id, status: 'pending', nextAttemptAt: { gt: now } }, data: { nextAttemptAt: now } });
      wake = true;
    } else if (input.enabled === false && current.enabled) {
      Object.assign(data, { enabled: false, disabledReason: 'manual', disabledAt: now, leaseUntil: null });
    }
    const row = await tx.prisma.webhookEndpoint.update({ where: { id }, data, select: WEBHOOK_ENDPOINT_PUBLIC_FIELDS });
    if (wake) await wakeDeliverer(tx.sql, id);
    return row;
  });
  return presentWebhookEndpoint(updated, now);
}
