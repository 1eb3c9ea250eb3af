import type { Sql } from '../sqlHandle.js';
import { DELIVERY_FILTER, filterValues, type WebhookDeliveryFilter } from './selectWebhookDeliveries.js';

/** How many deliveries the filter matches (a REST page's total). */
export async function countWebhookDeliveries(sql: Sql, filter: WebhookDeliveryFilter): Promise<number> {
  const rows = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries d WHERE ${DELIVERY_FILTER}`, filterValues(filter));
  return rows[0]?.n ?? 0;
}
