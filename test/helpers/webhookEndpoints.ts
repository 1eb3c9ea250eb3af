// Webhook endpoints written straight through the endpoint API's own insert (its cursor starts at the
// log's current position), without the URL checks, for tests of delivery that are not about the API
// (their receivers are on 127.0.0.1; some tests check the address policy at delivery time).
import { insertWebhookEndpoint } from '../../src/db/sql/insertWebhookEndpoint.js';
import { selectInboxEventStart } from '../../src/db/sql/selectInboxEvents.js';
import type { Deps } from '../../src/domain/deps.js';
import { newWebhookSecret, sealSecret } from '../../src/domain/outboundWebhooks/secretBox.js';

export async function insertTestEndpoint(deps: Deps, businessId: string, url: string, options: { eventTypes?: string[] } = {}): Promise<{ id: string; secret: string }> {
  const secret = newWebhookSecret();
  const start = await selectInboxEventStart(deps.sql);
  const id = await insertWebhookEndpoint(deps.sql, {
    businessId,
    url,
    description: null,
    eventTypes: options.eventTypes ?? [],
    enabled: true,
    disabledReason: null,
    disabledAt: null,
    secretEncrypted: sealSecret(deps.outboundWebhooks.secretKey, secret),
    cursorXid: start.position.xid,
    startSnapshot: start.hidden,
  });
  return { id, secret };
}
