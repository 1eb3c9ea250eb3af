import type { Sql } from '../sqlHandle.js';

/**
 * Records a provider's report as an event of a message, once per (provider, provider_event_id):
 * false when that report was recorded before.
 */
export async function insertProviderMessageEvent(
  sql: Sql,
  event: { businessId: string; messageId: string; type: string; provider: string; providerEventId: string; payload: object; occurredAt: Date },
): Promise<boolean> {
  const rows = await sql.query(
    `INSERT INTO message_events (business_id, message_id, type, provider, provider_event_id, payload, occurred_at)
     VALUES ($1::text, $2::uuid, $3::text, $4::text, $5::text, $6::jsonb, $7::timestamptz)
     ON CONFLICT (provider, provider_event_id) DO NOTHING
     RETURNING id::text AS id`,
    [event.businessId, event.messageId, event.type, event.provider, event.providerEventId, JSON.stringify(event.payload), event.occurredAt],
  );
  return rows.length > 0;
}
