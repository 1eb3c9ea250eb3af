// Fan-out of inbox events to subscribers on every gateway process, through PostgreSQL LISTEN/NOTIFY
// (no extra service). The notification only says "business X has new events"; subscribers read the
// inbox_events log from their own cursor, so a lost or folded notification loses nothing (after a
// reconnect every subscriber re-reads).
import { startChannelListener, type ListenerLogger } from './startChannelListener.js';

export const INBOX_CHANNEL = 'omega_inbox_events';

export interface InboxEventBus {
  /** Calls `wake` whenever business `businessId` may have new events; returns the unsubscribe. */
  watch(businessId: string, wake: () => void): () => void;
  close(): Promise<void>;
}

export type BusLogger = ListenerLogger;

export async function startInboxEventBus(connectionString: string, log: BusLogger): Promise<InboxEventBus> {
  const listener = await startChannelListener({ connectionString, channel: INBOX_CHANNEL, name: 'inbox-listener', log });
  return {
    watch: (businessId, wake) => listener.watch(businessId, () => wake()),
    close: () => listener.close(),
  };
}
