import type { Sql } from '../sqlHandle.js';

/**
 * Locks an endpoint's row (its settings and secrets change one writer at a time) and returns its
 * business, or null when there is no such endpoint.
 */
export async function lockWebhookEndpoint(sql: Sql, endpointId: string): Promise<{ businessId: string } | null> {
  const rows = await sql.query<{ business_id: string }>('SELECT business_id FROM webhook_endpoints WHERE id = $1::uuid FOR UPDATE', [endpointId]);
  const row = rows[0];
  return row ? { businessId: row.business_id } : null;
}
