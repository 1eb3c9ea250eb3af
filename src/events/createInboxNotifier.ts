// Sends the wake-ups of inbox subscribers after writers commit (src/db/transaction.ts hands it the
// businesses). Announcements are coalesced per process: those of one event-loop turn, and those that
// arrive while a NOTIFY statement is in flight, go out in the next single statement, so a burst of
// commits costs one small transaction, not one each.
import type { AnnounceInboxEvents } from '../db/sqlHandle.js';
import { createCoalescer } from './createCoalescer.js';
import type { BusLogger } from './inboxEventBus.js';

export interface InboxNotifier {
  announce: AnnounceInboxEvents;
  /** Sends what is pending; later announcements are dropped. */
  close(): Promise<void>;
}

/**
 * A notifier for the events written through a handle it announces for (createDeps: deps.sql); `send` NOTIFYs
 * (startInboxEventBus's notify: over the listening connection, not the pool, so a wake-up does not
 * queue behind a busy pool).
 */
export function createInboxNotifier(send: (businessIds: readonly string[]) => Promise<void>, log: BusLogger): InboxNotifier {
  const coalescer = createCoalescer<readonly string[], Set<string>>({
    empty: () => new Set(),
    add: (pending, businessIds) => {
      for (const id of businessIds) pending.add(id);
      return pending;
    },
    isEmpty: (pending) => pending.size === 0,
    send: (pending) => send([...pending]),
    onError: (err, pending) => log.warn({ err, businessIds: [...pending] }, 'could not notify inbox subscribers; they read the new events at their next timed re-read'),
  });
  return { announce: (businessIds) => coalescer.push(businessIds), close: () => coalescer.close() };
}
