// One reader of the inbox event log per business and process, shared by every subscription of that
// business that has caught up with it (streamInboxEvents.ts). Without it each subscription read the
// log itself on every wake-up and every idle re-read: 500 open inboxes of one business meant 500
// statements per event and 330 a second while idle, and the pool's queue ended subscriptions with
// DATABASE_UNAVAILABLE (bench/gateway-rss.ts). With it, a wake-up costs one statement per business,
// and the page and its objects (one InboxEventBatch) are shared.
//
// Positions are totally ordered and only ever move forward: the log is read up to the fence (the
// oldest transaction still running), so once the tail has read up to T, no event can later commit
// at or before T. A subscription attaches at its own position S, synchronously, only when S is not
// behind the tail's position (attach returns null otherwise, and it reads (S, T] on its own first);
// rows at or before S that the tail delivers are dropped by the subscriber. A subscriber that falls
// too far behind (its queue of undelivered rows over MAX_QUEUED) is detached and reads on its own
// again, from its last queued row: memory stays bounded whatever a slow client does.
import { selectInboxEvents, type InboxEventPosition, type InboxEventRow } from '../../db/sql/selectInboxEvents.js';
import type { Deps } from '../deps.js';
import { inboxEventBatch, type InboxEventBatch } from './inboxEventObjects.js';

/** Rows per read, as a subscription reads on its own. */
export const TAIL_PAGE = 500;
/** Re-read this often (plus up to half again, spread) while idle: a wake-up lost in a crash between COMMIT and NOTIFY. */
export const IDLE_REREAD_MS = 1_500;
/** Re-read while committed events wait behind a running transaction: 2 ms, doubling, up to 100 ms. */
export const FENCE_RETRY_FIRST_MS = 2;
export const FENCE_RETRY_MAX_MS = 100;

export interface TailSubscriber {
  /** New rows after the tail's previous position, in order, with the batch they were read in. */
  deliver(rows: readonly InboxEventRow[], batch: InboxEventBatch): void;
  /** The tail's read failed (the database is unreachable): the subscription ends with this error. */
  fail(err: unknown): void;
}

export interface InboxTails {
  /**
   * Attaches `subscriber` to business `businessId`'s tail at `position`, or returns null when the tail
   * has read past `position` (read up to it first). Returns the detach. A new tail reads with `deps`
   * (its sql, its event bus for wake-ups), those of the subscription that started it.
   */
  attach(deps: Deps, businessId: string, position: InboxEventPosition, subscriber: TailSubscriber): (() => void) | null;
  /** Businesses with a tail now (tests, metrics). */
  size(): number;
}

export function isBefore(a: InboxEventPosition, b: InboxEventPosition): boolean {
  const ax = BigInt(a.xid);
  const bx = BigInt(b.xid);
  return ax < bx || (ax === bx && BigInt(a.id) < BigInt(b.id));
}

/** This process's tails (createDeps makes one set per process: Deps.inboxTails). */
export function createInboxTails(): InboxTails {
  const tails = new Map<string, Tail>();
  return {
    attach(deps, businessId, position, subscriber) {
      let tail = tails.get(businessId);
      if (tail && isBefore(position, tail.position())) return null;
      if (!tail) {
        tail = startTail(deps, businessId, position, () => tails.delete(businessId));
        tails.set(businessId, tail);
      }
      return tail.add(subscriber);
    },
    size: () => tails.size,
  };
}

interface Tail {
  position(): InboxEventPosition;
  add(subscriber: TailSubscriber): () => void;
}

function startTail(deps: Deps, businessId: string, start: InboxEventPosition, closed: () => void): Tail {
  let position = start;
  const subscribers = new Set<TailSubscriber>();
  let stopped = false;
  let pending = true;
  let wakeUp: (() => void) | null = null;
  const unwatch = deps.events.watch(businessId, () => {
    pending = true;
    wakeUp?.();
  });
  const stop = () => {
    if (stopped) return;
    stopped = true;
    unwatch();
    wakeUp?.();
    closed();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wakeUp = null;
        resolve();
      }, ms);
      wakeUp = () => {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      };
    });

  void (async () => {
    let retryMs = 0;
    try {
      while (!stopped) {
        if (!pending) {
          await sleep(retryMs || IDLE_REREAD_MS * (1 + Math.random() / 2));
          pending = true;
          continue;
        }
        pending = false;
        let page;
        do {
          page = await selectInboxEvents(deps.sql, businessId, position, TAIL_PAGE, null);
          if (stopped) return;
          const last = page.events.at(-1);
          if (last) {
            // The position moves with the delivery, in one step: an attach in between sees both or neither.
            position = last;
            const batch = inboxEventBatch(deps, businessId, page.events);
            for (const subscriber of [...subscribers]) subscriber.deliver(page.events, batch);
          }
        } while (page.events.length === TAIL_PAGE && !stopped);
        // Committed events wait behind a running transaction: read again soon, backing off while the
        // fence stays (its transaction may write no event, and then nothing notifies).
        retryMs = page.fenced ? Math.min(retryMs * 2 || FENCE_RETRY_FIRST_MS, FENCE_RETRY_MAX_MS) : 0;
      }
    } catch (err) {
      const failed = [...subscribers];
      stop();
      for (const subscriber of failed) subscriber.fail(err);
    }
  })();

  return {
    position: () => position,
    add(subscriber) {
      subscribers.add(subscriber);
      return () => {
        subscribers.delete(subscriber);
        if (subscribers.size === 0) stop();
      };
    },
  };
}
