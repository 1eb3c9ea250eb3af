import type { Deps } from '../deps.js';
import type { QueueResult } from './queueOutbound.js';
import { queueBatch, type QueueItem } from './queueBatch.js';
import { pgErrorCode } from '../../db/pgErrorCode.js';

/**
 * At most this many recipients share one transaction (a single larger request still runs alone),
 * and at most this many transactions per business run at once. Measured with 32 concurrent
 * senders (bench/ingest.ts): small batches in a few parallel transactions beat both one big batch
 * at a time (its statements run one after another) and a transaction per request (each pays its
 * own commit).
 */
const BATCH_RECIPIENTS = 8;
const PARALLEL = 4;

/**
 * Queues one send request in its business's next group-commit transaction (see groupCommit and
 * queueBatch): a lone request runs at once; concurrent ones for the same business share a commit.
 */
export function submitToSendBatch(deps: Deps, item: QueueItem): Promise<QueueResult> {
  const businessId = item.input.businessId;
  return deps.groupCommit.submit(`send:${businessId}`, item, (items) => retryOnDeadlock(() => queueBatch(deps, businessId, items)), {
    weight: (it) => it.recipients.length,
    maxWeight: BATCH_RECIPIENTS,
    parallel: PARALLEL,
  });
}

/**
 * A safety net: the batch takes its contact locks and conversation rows in sorted order, but a
 * transaction of another path may still wait on them in another order, and PostgreSQL then aborts
 * one of the two (deadlock). Nothing of it was committed, so it is simply run again (a few times).
 */
async function retryOnDeadlock<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= attempts || !isDeadlock(err)) throw err;
    }
  }
}

/** 40P01 from pg or a raw query; Prisma's own queries report a deadlock only in their message (P2034). */
function isDeadlock(err: unknown): boolean {
  return pgErrorCode(err) === '40P01' || /deadlock/i.test(String((err as { message?: unknown })?.message));
}
