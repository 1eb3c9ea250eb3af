import { addJob } from '../../db/sql/addJob.js';
import type { Sql } from '../../db/sqlHandle.js';

/** The graphile-worker task that sends an endpoint's pending deliveries, one at a time, in order. */
export const DELIVER_TASK = 'deliver_webhooks';

/**
 * Queues a run of the endpoint's deliverer (after the caller's commit, when `sql` is a transaction).
 * Pending runs of one endpoint fold into one; a run finds the endpoint leased by another and leaves
 * it to that one, which looks for new deliveries after it lets the lease go (deliverWebhooks).
 */
export async function wakeDeliverer(sql: Sql, endpointId: string, runAt?: Date): Promise<void> {
  await addJob(sql, DELIVER_TASK, { endpointId }, { jobKey: `${DELIVER_TASK}:${endpointId}${runAt ? `:${runAt.getTime()}` : ''}`, ...(runAt ? { runAt } : {}), maxAttempts: 5 });
}
