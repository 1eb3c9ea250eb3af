import type { Deps } from '../deps.js';
import { groupCommit } from './groupCommit.js';
import type { QueueResult } from './queueOutbound.js';
import { queueBatch, type QueueItem } from './queueBatch.js';

/** At most this many recipients share one transaction (a single larger request still runs alone). */
const BATCH_RECIPIENTS = 200;

/**
 * Queues one send request in its business's next group-commit transaction (see groupCommit and
 * queueBatch): a lone request runs at once; concurrent ones for the same business share a commit.
 */
export function submitToSendBatch(deps: Deps, item: QueueItem): Promise<QueueResult> {
  const businessId = item.input.businessId;
  return groupCommit(deps, `send:${businessId}`, item, (items) => queueBatch(deps, businessId, items), {
    weight: (it) => it.recipients.length,
    maxWeight: BATCH_RECIPIENTS,
  });
}
