import type { Deps } from '../deps.js';
import { isUuid } from '../ids.js';

export interface ReportedMessage {
  messageId: string;
  businessId: string;
}

/**
 * The message a provider's delivery report is about: by Omega's id when the callback URL carries
 * it (and it exists), else by the provider's id. One indexed read; knowing the business lets
 * updateDeliveryStatus group a business's concurrent reports into one commit.
 */
export async function findReportedMessage(deps: Deps, ref: { messageId: string | null; provider: string; providerMessageId: string }): Promise<ReportedMessage | null> {
  const byId = ref.messageId && isUuid(ref.messageId) ? ref.messageId : null;
  const { rows } = await deps.pool.query<{ id: string; business_id: string }>(
    `SELECT id::text, business_id FROM messages
      WHERE id = $1::uuid OR (provider = $2 AND provider_message_id = $3)
      ORDER BY (id = $1::uuid) DESC NULLS LAST
      LIMIT 1`,
    [byId, ref.provider, ref.providerMessageId],
  );
  const row = rows[0];
  return row ? { messageId: row.id, businessId: row.business_id } : null;
}
