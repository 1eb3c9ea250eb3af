import { insertWebhookEndpoint } from '../../db/sql/insertWebhookEndpoint.js';
import { lockKey } from '../../db/sql/locks.js';
import { selectInboxEventStart } from '../../db/sql/selectInboxEvents.js';
import { runTransaction } from '../../db/transaction.js';
import { authorizeBusiness } from '../auth/authorizeBusiness.js';
import { assertApiKey, type Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { ConflictError } from '../errors.js';
import { checkWebhookEndpointInput } from './checkWebhookEndpointInput.js';
import { newWebhookSecret, sealSecret } from './secretBox.js';
import { presentWebhookEndpoint } from './presentWebhookEndpoint.js';
import { MAX_WEBHOOK_ENDPOINTS, WEBHOOK_ENDPOINT_PUBLIC_FIELDS, type WebhookEndpointView } from './webhookEndpointFields.js';

export interface CreateWebhookEndpointInput {
  principal: Principal | null;
  businessId: string;
  url: string;
  description?: string | null;
  /** Empty, null or omitted: every type. */
  eventTypes?: readonly string[] | null;
  /** Default true. */
  enabled?: boolean | null;
}

export interface WebhookEndpointWithSecret {
  endpoint: WebhookEndpointView;
  /** The whsec_ signing secret in plaintext: answered this once, stored only encrypted. */
  secret: string;
}

/**
 * A new endpoint (API keys only; a session may only read) with a new signing secret. It starts at
 * the log's present: events committed before it was created are never delivered to it, every
 * event committed after is.
 */
export async function createWebhookEndpoint(deps: Deps, input: CreateWebhookEndpointInput): Promise<WebhookEndpointWithSecret> {
  assertApiKey(input.principal);
  await authorizeBusiness(deps, input.principal, input.businessId);
  const fields = await checkWebhookEndpointInput(deps, { url: input.url, description: input.description ?? null, eventTypes: input.eventTypes ?? [] });
  const enabled = input.enabled ?? true;
  const secret = newWebhookSecret();
  const businessId = input.businessId;
  const id = await runTransaction(deps, async (tx) => {
    // One creation at a time per business, so two at once cannot both pass the count.
    await lockKey(tx.sql, `webhook_endpoints:${businessId}`);
    const count = await tx.prisma.webhookEndpoint.count({ where: { businessId } });
    if (count >= MAX_WEBHOOK_ENDPOINTS) {
      throw new ConflictError(
        'WEBHOOK_ENDPOINT_LIMIT',
        `Business ${JSON.stringify(businessId)} has ${count} webhook endpoints, the most it may have (${MAX_WEBHOOK_ENDPOINTS}); delete one, or give one endpoint several event types.`,
      );
    }
    const start = await selectInboxEventStart(tx.sql);
    return insertWebhookEndpoint(tx.sql, {
      businessId,
      url: fields.url!,
      description: fields.description ?? null,
      eventTypes: fields.eventTypes ?? [],
      enabled,
      disabledReason: enabled ? null : 'manual',
      disabledAt: enabled ? null : deps.clock.now(),
      secretEncrypted: sealSecret(deps.outboundWebhooks.secretKey, secret),
      cursorXid: start.position.xid,
      startSnapshot: start.hidden,
    });
  });
  const endpoint = await deps.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id }, select: WEBHOOK_ENDPOINT_PUBLIC_FIELDS });
  return { endpoint: presentWebhookEndpoint(endpoint, deps.clock.now()), secret };
}
