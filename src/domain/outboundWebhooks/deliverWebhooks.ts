import {
  disableWebhookEndpoint,
  leaseWebhookEndpoint,
  recordWebhookAttempts,
  releaseWebhookLease,
  selectPendingWebhookDeliveries,
  type LeasedWebhookEndpoint,
  type WebhookAttemptRecord,
} from '../../db/sql/webhookDelivery.js';
import { pgTransaction } from '../../db/transaction.js';
import type { Deps } from '../deps.js';
import { loadInboxEventObjects } from '../inbox/inboxEventObjects.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';
import { inboxEventId, serializeInboxEvent } from '../inbox/serializeInboxEvent.js';
import { postWebhook, webhookAgents, type WebhookAgents } from './postWebhook.js';
import { nextAttemptAt } from './retrySchedule.js';
import { endpointSigningSecrets } from './endpointSigningSecrets.js';
import { dispatchWebhooks } from './dispatchWebhooks.js';
import { wakeDeliverer } from './wakeDeliverer.js';

/** A deliverer's lease: longer than one request's timeout, renewed with every record of attempts. */
const DEFAULT_LEASE_MS = 60_000;
/** Deliveries read (and their objects loaded) together. */
const BATCH = 50;
/** A run hands over to a new job after this long, so a worker stops promptly and others get a turn. */
const RUN_BUDGET_MS = 20_000;
/**
 * A deliverer whose queue is empty waits this long for the business's next events (woken by their
 * announcements, as subscriptions are) and queues them itself: events that come in a stream go out
 * without a job each, at the latency of a subscription.
 */
const LINGER_MS = 300;
/** While events wait behind a running transaction: read again after 2 ms, doubling, up to 100 ms. */
const FENCE_RETRY_MAX_MS = 100;

export interface DeliveryRun {
  delivered: number;
  failed: number;
  /** Why the run stopped: nothing pending, the head waits for its retry time, the endpoint is leased elsewhere or disabled, or the run's budget is spent. */
  stopped: 'idle' | 'waiting' | 'leased' | 'disabled' | 'budget';
}

/**
 * Sends an endpoint's pending deliveries, one at a time in queue order: a later event waits while an
 * earlier one to the same endpoint is retried. 2xx: delivered. 410 Gone: the endpoint is disabled.
 * Anything else (another status, a timeout, a refused address): tried again on the retry schedule;
 * an endpoint failing longer than OMEGA_WEBHOOK_DISABLE_AFTER_DAYS is disabled; both with a
 * webhook_endpoint.disabled event. At least once: a crash after the receiver answered and before the
 * attempt is recorded sends that event again, with the same webhook-id.
 */
export async function deliverWebhooks(deps: Deps, endpointId: string, signal?: AbortSignal): Promise<DeliveryRun> {
  const run: DeliveryRun = { delivered: 0, failed: 0, stopped: 'idle' };
  const started = Date.now();
  const leaseMs = deps.outboundWebhooks.leaseMs ?? DEFAULT_LEASE_MS;
  for (;;) {
    const endpoint = await leaseWebhookEndpoint(deps.sql, endpointId, leaseMs);
    if (!endpoint) return { ...run, stopped: run.delivered + run.failed > 0 ? run.stopped : 'leased' };
    const recorder = attemptRecorder(deps, endpoint, leaseMs);
    const mayGoOn = () => !signal?.aborted && Date.now() - started <= RUN_BUDGET_MS;
    const agents = webhookAgents();
    try {
      for (;;) {
        run.stopped = await sendPending(deps, endpoint, run, recorder, mayGoOn, agents);
        if (run.stopped !== 'idle' || !(await linger(deps, endpoint, mayGoOn, signal))) break;
      }
    } finally {
      agents.destroy();
      // Every attempt made is written before the lease goes; after a failed write, the last lease we
      // held is let go (if it is still ours), so the retry of this job is not turned away by it.
      const lease = await recorder.settle().catch(() => recorder.lastLease());
      if (lease) await releaseWebhookLease(deps.sql, endpointId, lease);
    }
    recorder.rethrow();
    if (run.stopped === 'budget') {
      await wakeDeliverer(deps.sql, endpointId);
      return run;
    }
    if (run.stopped !== 'idle') return run;
    // A delivery queued while we held the lease had its wake-up turned away by the lease: look again
    // now that it is released (the queueing committed before its wake-up, so this read sees it).
    const more = await selectPendingWebhookDeliveries(deps.sql, endpointId, 1);
    if (more.length === 0) return run;
    if (more[0]!.nextAttemptAt > deps.clock.now()) {
      // Not due by this process's clock (the database's may run ahead of it): its run is scheduled.
      await wakeDeliverer(deps.sql, endpointId, more[0]!.nextAttemptAt);
      return run;
    }
  }
}

/**
 * Waits up to LINGER_MS for new events of the endpoint's business and queues them (dispatchWebhooks:
 * the endpoint is leased, so no job is added for it). True when a delivery may be pending.
 */
async function linger(deps: Deps, endpoint: LeasedWebhookEndpoint, mayGoOn: () => boolean, signal: AbortSignal | undefined): Promise<boolean> {
  const until = Date.now() + LINGER_MS;
  let fenceMs = 0;
  while (Date.now() < until && mayGoOn()) {
    await wokenOrTimeout(deps, endpoint.businessId, fenceMs || until - Date.now(), signal);
    const dispatched = (await dispatchWebhooks(deps, endpoint.businessId)).endpoints.get(endpoint.id);
    // Only this endpoint's deliveries keep it waiting: one that takes a rare type of a busy business's
    // events lets its worker slot go.
    if (dispatched && dispatched.queued > 0) return true;
    // Queued by another process's dispatcher (which adds no job for a leased endpoint)?
    if ((await selectPendingWebhookDeliveries(deps.sql, endpoint.id, 1)).length > 0) return true;
    fenceMs = dispatched?.fenced ? Math.min(fenceMs * 2 || 2, FENCE_RETRY_MAX_MS) : 0;
  }
  return false;
}

/** Resolves when the business may have new events, after `ms`, or on abort. */
function wokenOrTimeout(deps: Deps, businessId: string, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unwatch();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    const unwatch = deps.events.watch(businessId, done);
    signal?.addEventListener('abort', done);
  });
}

/**
 * Writes successful attempts in the background, all those answered since the last write in one
 * statement (a write in flight, the next batch gathers), while the next request goes out: order
 * needs only each answer before the next request, not its record. A crash loses at most the records
 * not yet written, whose events then go out again (at least once). A failure is written at once
 * (settle), as it decides what happens next.
 */
function attemptRecorder(deps: Deps, endpoint: LeasedWebhookEndpoint, leaseMs: number) {
  let lease: Date | null = endpoint.leaseUntil;
  let lastLease: Date = endpoint.leaseUntil;
  let failingSince: Date | null = endpoint.failingSince;
  let buffered: WebhookAttemptRecord[] = [];
  let writing: Promise<void> | null = null;
  let error: Error | null = null;
  const write = async (): Promise<void> => {
    while (buffered.length > 0 && lease) {
      const batch = buffered;
      buffered = [];
      const recorded = await recordWebhookAttempts(deps.sql, endpoint, batch, { until: lease, ms: leaseMs });
      // Disabled meanwhile, or the lease ran out (a stall longer than leaseMs) and another deliverer may have it.
      lease = recorded?.leaseUntil ?? null;
      if (lease) lastLease = lease;
      failingSince = recorded ? recorded.failingSince : failingSince;
    }
  };
  const flush = () => {
    writing ??= write()
      .catch((err: unknown) => {
        error = err instanceof Error ? err : new Error(String(err));
        lease = null;
      })
      .finally(() => {
        writing = null;
      });
    return writing;
  };
  return {
    /** The lease, while it is ours. */
    lease: () => lease,
    /** The last lease we held (to let go after a failed write). */
    lastLease: () => lastLease,
    failingSince: () => failingSince,
    add(record: WebhookAttemptRecord) {
      buffered.push(record);
      void flush();
    },
    /** Every attempt added is written; throws what a write threw; answers the lease (null: lost). */
    async settle(): Promise<Date | null> {
      while (writing || (buffered.length > 0 && lease)) await (writing ?? flush());
      if (error) throw error;
      return lease;
    },
    /** Throws what a write threw (attempts then stay unrecorded: their events go out again). */
    rethrow() {
      if (error) throw error;
    },
  };
}

async function sendPending(
  deps: Deps,
  endpoint: LeasedWebhookEndpoint,
  run: DeliveryRun,
  recorder: ReturnType<typeof attemptRecorder>,
  mayGoOn: () => boolean,
  agents: WebhookAgents,
): Promise<DeliveryRun['stopped']> {
  // A secret that cannot be opened (OMEGA_TOKEN_SECRET changed since it was sealed) fails each
  // attempt with that reason, in the delivery log, under the usual retries and disabling.
  let secrets: string[] | null = null;
  let secretError: string | null = null;
  try {
    secrets = endpointSigningSecrets(deps, endpoint, deps.clock.now());
  } catch {
    secretError = "the endpoint's signing secret cannot be opened (OMEGA_TOKEN_SECRET changed since it was made?): rotate its secret";
  }
  for (;;) {
    // What was sent is written before the queue is read again (else it would read as pending).
    if (!(await recorder.settle())) return 'leased';
    const batch = await selectPendingWebhookDeliveries(deps.sql, endpoint.id, BATCH);
    if (batch.length === 0) return 'idle';
    const objects = await loadInboxEventObjects(
      deps,
      endpoint.businessId,
      batch.map((d) => d.event),
    );
    for (const delivery of batch) {
      const now = deps.clock.now();
      if (delivery.nextAttemptAt > now) {
        await wakeDeliverer(deps.sql, endpoint.id, delivery.nextAttemptAt);
        return 'waiting';
      }
      if (!recorder.lease()) return 'leased';
      if (!mayGoOn()) return 'budget';
      const answer = secrets
        ? await postWebhook(
            { url: endpoint.url, secrets, id: inboxEventId(delivery.event), timestamp: now, body: JSON.stringify(serializeInboxEvent(delivery.event, objects)) },
            { allowPrivate: deps.outboundWebhooks.allowPrivate, timeoutMs: deps.outboundWebhooks.timeoutMs, agents },
          )
        : { statusCode: null, ok: false, latencyMs: 0, error: secretError, responseBody: null };
      const retryAt = answer.ok ? null : nextAttemptAt(delivery.attempts + 1, delivery.createdAt, deps.clock.now(), deps.outboundWebhooks.retryDelaysMs);
      const status = answer.ok ? 'delivered' : answer.statusCode === 410 || retryAt ? 'pending' : 'failed';
      recorder.add({ deliveryId: delivery.id, statusCode: answer.statusCode, latencyMs: answer.latencyMs, error: answer.error, responseBody: answer.responseBody, status, nextAttemptAt: retryAt });
      if (answer.ok) {
        run.delivered++;
        continue;
      }
      if (!(await recorder.settle())) return 'leased';
      if (answer.statusCode === 410) {
        await disableEndpoint(deps, endpoint.id, 'gone');
        return 'disabled';
      }
      const failingSince = recorder.failingSince();
      if (failingSince && deps.clock.now().getTime() - failingSince.getTime() >= deps.outboundWebhooks.disableAfterMs) {
        await disableEndpoint(deps, endpoint.id, 'failing');
        return 'disabled';
      }
      if (status === 'failed') {
        run.failed++;
        continue;
      }
      await wakeDeliverer(deps.sql, endpoint.id, retryAt!);
      return 'waiting';
    }
  }
}

/** Disables the endpoint and says so in the event log (a webhook_endpoint.disabled event). */
async function disableEndpoint(deps: Deps, endpointId: string, reason: 'gone' | 'failing'): Promise<void> {
  await pgTransaction(deps, async (sql) => {
    const disabled = await disableWebhookEndpoint(sql, endpointId, reason);
    if (!disabled) return;
    await publishInboxEvent(sql, {
      businessId: disabled.businessId,
      type: 'webhook_endpoint.disabled',
      // Not its URL: the event goes to the business's other endpoints too, and a URL may be a credential.
      payload: { endpointId, reason, failingSince: disabled.failingSince?.toISOString() ?? null },
    });
  });
}
