import { selectReportedMessages } from '../../db/sql/selectReportedMessages.js';
import type { Deps } from '../deps.js';
import { isUuid } from '../ids.js';

export interface ReportedMessage {
  messageId: string;
  businessId: string;
}

interface Ref {
  messageId: string | null;
  provider: string;
  providerMessageId: string;
}

/**
 * The message a provider's delivery report is about: by Omega's id when the callback URL carries
 * it (and it exists), else by the provider's id. Knowing the business lets updateDeliveryStatus
 * group a business's concurrent reports into one commit. Concurrent lookups share one indexed
 * query (a burst of callbacks makes one round trip per batch, not one each).
 */
export function findReportedMessage(deps: Deps, ref: Ref): Promise<ReportedMessage | null> {
  const clean = { ...ref, messageId: ref.messageId && isUuid(ref.messageId) ? ref.messageId.toLowerCase() : null };
  return deps.groupCommit.submit(`reported-message:${ref.provider}`, clean, (refs) => lookup(deps, refs), { maxWeight: 200 });
}

async function lookup(deps: Deps, refs: Ref[]): Promise<(ReportedMessage | null)[]> {
  const provider = refs[0]!.provider;
  const rows = await selectReportedMessages(
    deps.sql,
    refs.flatMap((r) => (r.messageId ? [r.messageId] : [])),
    provider,
    refs.map((r) => r.providerMessageId),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const bySid = new Map(rows.filter((r) => r.provider_message_id !== null).map((r) => [r.provider_message_id!, r]));
  return refs.map((ref) => {
    const row = (ref.messageId ? byId.get(ref.messageId) : undefined) ?? bySid.get(ref.providerMessageId);
    return row ? { messageId: row.id, businessId: row.business_id } : null;
  });
}
