import { lockWebhookEndpoint } from '../../db/sql/lockWebhookEndpoint.js';
import { runTransaction } from '../../db/transaction.js';
import { assertApiKey, type Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { assertUuid } from '../ids.js';
import type { WebhookEndpointWithSecret } from './createWebhookEndpoint.js';
import { presentWebhookEndpoint } from './presentWebhookEndpoint.js';
import { newWebhookSecret, sealSecret } from './secretBox.js';
import { WEBHOOK_ENDPOINT_PUBLIC_FIELDS } from './webhookEndpointFields.js';
import { webhookEndpointNotFound, webhookEndpointScope } from './webhookEndpointScope.js';

export interface RotateWebhookEndpointSecretInput {
  principal: Principal | null;
  businessId?: string | null;
  id: string;
  /** The current secret stops signing at once (it leaked) instead of after the grace period. */
  expireCurrentNow?: boolean | null;
}

/**
 * A new signing secret (API keys only), answered this once. The one it replaces keeps signing
 * beside it for OMEGA_WEBHOOK_SECRET_GRACE_HOURS (every request carries both signatures), so a
 * receiver can switch without losing a request; with expireCurrentNow, or a grace of 0, it stops at
 * once. Only one previous secret is kept: rotating again during a grace period ends the older one.
 */
export async function rotateWebhookEndpointSecret(deps: Deps, input: RotateWebhookEndpointSecretInput): Promise<WebhookEndpointWithSecret> {
  assertApiKey(input.principal);
  const scope = webhookEndpointScope(input.principal, input.businessId);
  const id = assertUuid(input.id, ['id']);
  const secret = newWebhookSecret();
  const now = deps.clock.now();
  const graceMs = input.expireCurrentNow ? 0 : deps.outboundWebhooks.secretGraceMs;
  const endpoint = await runTransaction(deps, async (tx) => {
    const locked = await lockWebhookEndpoint(tx.sql, id);
    if (!locked || (scope.businessId !== undefined && locked.businessId !== scope.businessId)) throw webhookEndpointNotFound(input.id, input.businessId);
    const current = await tx.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id }, select: { secretEncrypted: true } });
    return tx.prisma.webhookEndpoint.update({
      where: { id },
      data: {
        secretEncrypted: sealSecret(deps.outboundWebhooks.secretKey, secret),
        previousSecretEncrypted: graceMs > 0 ? current.secretEncrypted : null,
        previousSecretExpiresAt: graceMs > 0 ? new Date(now.getTime() + graceMs) : null,
      },
      select: WEBHOOK_ENDPOINT_PUBLIC_FIELDS,
    });
  });
  return { endpoint: presentWebhookEndpoint(endpoint, now), secret };
}
