import type { Logger as PinoLogger } from 'pino';
import type { Deps } from '../domain/deps.js';
import { dispatchWebhooks, wakeStrandedDeliverers } from '../domain/outboundWebhooks/dispatchWebhooks.js';

export interface WebhookDispatcherOptions {
  /** Every business is dispatched this often even without a wake-up (one lost in a crash), and stranded deliverers are woken. */
  sweepMs?: number;
  log: Pick<PinoLogger, 'warn'>;
}

/** While events wait behind a running transaction: read again after 2 ms, doubling, up to 100 ms (as subscriptions do). */
const FENCE_RETRY_FIRST_MS = 2;
const FENCE_RETRY_MAX_MS = 100;

/**
 * The webhook dispatcher of a worker process: woken by the inbox event announcements of every
 * process (the bus subscribers use), it queues deliveries for the businesses named, one run at a
 * time, coalescing wake-ups that arrive while it runs. Several worker processes may each run one:
 * endpoints are locked while their cursor moves, so no event is queued twice.
 */
export function startWebhookDispatcher(deps: Deps, options: WebhookDispatcherOptions): { stop(): Promise<void> } {
  const sweepMs = options.sweepMs ?? 5_000;
  const dirty = new Set<string>();
  let everyBusiness = true;
  let running: Promise<void> | null = null;
  let stopped = false;
  let fenceRetryMs = 0;
  let fenceTimer: NodeJS.Timeout | null = null;
  const fencedTargets = new Set<string | null>();

  const kick = () => {
    if (stopped) return;
    if (running) return;
    running = drain().finally(() => {
      running = null;
      if (!stopped && (everyBusiness || dirty.size > 0)) kick();
    });
  };

  async function drain(): Promise<void> {
    while (!stopped && (everyBusiness || dirty.size > 0)) {
      const targets: (string | null)[] = everyBusiness ? [null] : [...dirty];
      everyBusiness = false;
      dirty.clear();
      let fenced = false;
      for (const businessId of targets) {
        try {
          fenced = (await dispatchWebhooks(deps, businessId)).fenced || fenced;
        } catch (err) {
          options.log.warn({ err, businessId }, 'webhook dispatch failed; the next wake-up or sweep tries again');
        }
      }
      if (fenced) {
        // Read these again shortly: the transaction that holds the fence may write no event (no wake-up).
        fenceRetryMs = Math.min(fenceRetryMs * 2 || FENCE_RETRY_FIRST_MS, FENCE_RETRY_MAX_MS);
        for (const b of targets) fencedTargets.add(b);
        fenceTimer ??= setTimeout(() => {
          fenceTimer = null;
          for (const b of fencedTargets)
            if (b === null) everyBusiness = true;
            else dirty.add(b);
          fencedTargets.clear();
          kick();
        }, fenceRetryMs);
      } else fenceRetryMs = 0;
    }
  }

  const unwatch = deps.events.watchAny((businessId) => {
    if (businessId === null) everyBusiness = true;
    else dirty.add(businessId);
    kick();
  });
  const sweepNow = () => {
    everyBusiness = true;
    kick();
    wakeStrandedDeliverers(deps).catch((err: unknown) => options.log.warn({ err }, 'waking stranded webhook deliverers failed; the next sweep tries again'));
  };
  const sweep = setInterval(sweepNow, sweepMs);
  sweep.unref();
  sweepNow();

  return {
    async stop() {
      stopped = true;
      unwatch();
      clearInterval(sweep);
      if (fenceTimer) clearTimeout(fenceTimer);
      await running;
    },
  };
}
