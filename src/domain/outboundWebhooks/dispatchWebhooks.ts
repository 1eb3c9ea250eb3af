import { queueWebhookDeliveries, selectStrandedWebhookEndpoints } from '../../db/sql/queueWebhookDeliveries.js';
import type { Deps } from '../deps.js';
import { wakeDeliverer } from './wakeDeliverer.js';

/** Events read per endpoint per statement; the dispatcher loops while an endpoint had this many. */
const DISPATCH_PAGE = 1_000;

/**
 * Reads the event log after each enabled endpoint's cursor (one business's endpoints, or all) and
 * queues their deliveries, then wakes their deliverers (jobs), a statement per page. It runs after
 * the events' own transactions committed (the worker's dispatcher, woken by their announcements), so
 * a write never adds a job, and the NOTIFY graphile-worker sends for a new job is never on the write path.
 * Answers whether events wait behind a running transaction (dispatch again shortly).
 */
export async function dispatchWebhooks(deps: Deps, businessId: string | null): Promise<{ queued: number; fenced: boolean; endpoints: Map<string, { queued: number; fenced: boolean }> }> {
  let queued = 0;
  const endpoints = new Map<string, { queued: number; fenced: boolean }>();
  for (;;) {
    // One statement (atomic on its own); the wake-ups follow it. A crash in between leaves
    // deliveries without a job: the sweep (wakeStrandedDeliverers) finds them.
    const rows = await queueWebhookDeliveries(deps.sql, businessId, DISPATCH_PAGE);
    // Not a leased endpoint (its deliverer finds these), nor one whose head waits for its retry (its job is scheduled).
    for (const r of rows) if (r.queued > 0 && !r.leased && r.headDue) await wakeDeliverer(deps.sql, r.endpointId);
    for (const r of rows) {
      const seen = endpoints.get(r.endpointId);
      endpoints.set(r.endpointId, { queued: (seen?.queued ?? 0) + r.queued, fenced: r.fenced });
    }
    queued += rows.reduce((n, r) => n + r.queued, 0);
    if (!rows.some((r) => r.read === DISPATCH_PAGE)) return { queued, fenced: rows.some((r) => r.fenced), endpoints };
  }
}

/** Wakes the deliverers of endpoints with a delivery due and no live lease (a lost job, a worker that died mid-delivery). */
export async function wakeStrandedDeliverers(deps: Deps): Promise<number> {
  const ids = await selectStrandedWebhookEndpoints(deps.sql);
  for (const id of ids) await wakeDeliverer(deps.sql, id);
  return ids.length;
}
