// Sends the wake-ups of inbox subscribers after writers commit (src/db/transaction.ts hands it the
// businesses). Announcements are coalesced per process: those of one event-loop turn, and those that
// arrive while a NOTIFY statement is in flight, go out in the next single statement, so a burst of
// commits costs one small transaction, not one each.
import type { AnnounceInboxEvents } from '../db/sqlHandle.js';
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
  let pending = new Set<string>();
  let scheduled: NodeJS.Immediate | null = null;
  let sending = false;
  let sent: Promise<void> = Promise.resolve();
  let closed = false;

  const sendAll = async () => {
    sending = true;
    try {
      while (pending.size > 0) {
        const businessIds = [...pending];
        pending = new Set();
        try {
          await send(businessIds);
        } catch (err) {
          log.warn({ err, businessIds }, 'could not notify inbox subscribers; they read the new events at their next timed re-read');
        }
      }
    } finally {
      // Synchronously after the last look at `pending`: a later announcement schedules a new send.
      sending = false;
    }
  };
  const start = () => {
    scheduled = null;
    sent = sendAll();
  };
  const announce: AnnounceInboxEvents = (businessIds) => {
    if (closed) return;
    for (const id of businessIds) pending.add(id);
    if (!scheduled && !sending) scheduled = setImmediate(start);
  };

  return {
    announce,
    async close() {
      closed = true;
      if (scheduled) {
        clearImmediate(scheduled);
        start();
      }
      await sent;
    },
  };
}
