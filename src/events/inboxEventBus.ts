// Fan-out of inbox events to subscribers on every gateway process, through PostgreSQL LISTEN/NOTIFY
// (no extra service), or Redis pub/sub when REDIS_URL is set (the events themselves are always read
// from PostgreSQL). Writers notify after COMMIT (createInboxNotifier). The notification only says
// "business X has new events"; subscribers read the inbox_events log from their own cursor, so a
// folded notification loses nothing, and a lost one is made up by the subscribers' timed re-read
// (after a reconnect every subscriber re-reads at once).
import { startChannelListener, type ListenerLogger } from './startChannelListener.js';
import { startRedisChannel } from './startRedisChannel.js';

export const INBOX_CHANNEL = 'omega_inbox_events';

export interface InboxEventBus {
  /** Calls `wake` whenever business `businessId` may have new events; returns the unsubscribe. */
  watch(businessId: string, wake: () => void): () => void;
  /** Calls `wake` with a business that may have new events, or null when any may (after a reconnect); returns the unsubscribe. */
  watchAny(wake: (businessId: string | null) => void): () => void;
  close(): Promise<void>;
}

export type BusLogger = ListenerLogger;

/**
 * The bus, plus the sender of wake-ups (createInboxNotifier) over its listening connection: the
 * PostgreSQL server at `transport.databaseUrl`, or Redis at `transport.redisUrl` when given.
 */
export async function startInboxEventBus(
  transport: { databaseUrl: string; redisUrl?: string | undefined },
  log: BusLogger,
): Promise<InboxEventBus & { notify(businessIds: readonly string[]): Promise<void> }> {
  const listener = transport.redisUrl
    ? await startRedisChannel({ url: transport.redisUrl, channel: INBOX_CHANNEL, name: 'inbox-listener', log })
    : await startChannelListener({ connectionString: transport.databaseUrl, channel: INBOX_CHANNEL, name: 'inbox-listener', log });
  return {
    watch: (businessId, wake) => listener.watch(businessId, () => wake()),
    watchAny: (wake) => listener.watchAny((businessId) => wake(businessId)),
    notify: (businessIds) => listener.notify(businessIds),
    close: () => listener.close(),
  };
}
