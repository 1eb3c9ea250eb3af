import { randomUUID } from 'node:crypto';
import { assertApiKey, type Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { assertUuid } from '../ids.js';
import { INBOX_EVENT_VERSION } from '../inbox/serializeInboxEvent.js';
import { endpointSigningSecrets } from './endpointSigningSecrets.js';
import { postWebhook, type WebhookAnswer } from './postWebhook.js';
import { webhookEndpointNotFound, webhookEndpointScope } from './webhookEndpointScope.js';

export const WEBHOOK_TEST_EVENT_TYPE = 'webhook_endpoint.test';

export interface WebhookTestResult extends WebhookAnswer {
  /** The ping's id (its webhook-id header and envelope id). */
  id: string;
}

/**
 * Sends a signed `webhook_endpoint.test` ping to an endpoint (API keys only), enabled or not, the
 * way deliveries go (same signing secrets, address policy, timeout, no redirects), and answers what
 * the receiver said. Not a delivery: nothing is recorded, nothing is retried.
 */
export async function testWebhookEndpoint(deps: Deps, input: { principal: Principal | null; businessId?: string | null; id: string }): Promise<WebhookTestResult> {
  assertApiKey(input.principal);
  const scope = webhookEndpointScope(input.principal, input.businessId);
  const id = assertUuid(input.id, ['id']);
  const endpoint = await deps.prisma.webhookEndpoint.findFirst({
    where: { id, ...scope },
    select: { id: true, businessId: true, url: true, secretEncrypted: true, previousSecretEncrypted: true, previousSecretExpiresAt: true },
  });
  if (!endpoint) throw webhookEndpointNotFound(input.id, input.businessId);
  const now = deps.clock.now();
  const pingId = `test_${randomUUID()}`;
  const body = JSON.stringify({
    version: INBOX_EVENT_VERSION,
    id: pingId,
    type: WEBHOOK_TEST_EVENT_TYPE,
    business_id: endpoint.businessId,
    created_at: now.toISOString(),
    data: { endpoint_id: endpoint.id },
  });
  const answer = await postWebhook(
    { url: endpoint.url, secrets: endpointSigningSecrets(deps, endpoint, now), id: pingId, timestamp: now, body },
    { allowPrivate: deps.outboundWebhooks.allowPrivate, timeoutMs: deps.outboundWebhooks.timeoutMs },
  );
  return { id: pingId, ...answer };
}
