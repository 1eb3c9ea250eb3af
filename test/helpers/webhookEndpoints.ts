// Webhook endpoints made straight in the database, as the endpoint API makes them (its cursor starts
// at the log's current position), for tests of delivery that are not about the API.
import { selectInboxEventStart } from '../../src/db/sql/selectInboxEvents.js';
import type { Deps } from '../../src/domain/deps.js';
import { newWebhookSecret, sealSecret } from '../../src/domain/outboundWebhooks/secretBox.js';

export async function insertTestEndpoint(deps: Deps, businessId: string, url: string, options: { eventTypes?: string[] } = {}): Promise<{ id: string; secret: string }> {
  const secret = newWebhookSecret();
  const start = await selectInboxEventStart(deps.sql);
  const rows = await deps.sql.query<{ id: string }>(
    `INSERT INTO webhook_endpoints (business_id, url, event_types, secret_encrypted, cursor_xid, cursor_id, start_snapshot)
     VALUES ($1, $2, $3::text[], $4, $5::xid8, 0, $6::pg_snapshot) RETURNING id::text AS id`,
    [businessId, url, options.eventTypes ?? [], sealSecret(deps.outboundWebhooks.secretKey, secret), start.position.xid, start.hidden],
  );
  return { id: rows[0]!.id, secret };
}
