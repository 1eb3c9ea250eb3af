// Fan-out of inbox events to subscribers on every gateway process, through PostgreSQL LISTEN/NOTIFY
// (no extra service). The notification only says "business X has new events"; subscribers read the
// inbox_events log from their own cursor, so a lost or folded notification loses nothing.
import pg from 'pg';

export const INBOX_CHANNEL = 'omega_inbox_events';

export interface InboxEventBus {
  /** Calls `wake` whenever business `businessId` may have new events; returns the unsubscribe. */
  watch(businessId: string, wake: () => void): () => void;
  close(): Promise<void>;
}

export interface BusLogger {
  warn(obj: object, msg: string): void;
}

/** One dedicated LISTEN connection per process; reconnects with backoff and then wakes everyone. */
export async function startInboxEventBus(connectionString: string, log: BusLogger): Promise<InboxEventBus> {
  const watchers = new Map<string, Set<() => void>>();
  let client: pg.Client | null = null;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelay = 100;

  const wakeAll = () => {
    for (const set of watchers.values()) for (const wake of set) wake();
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString, application_name: 'omega-inbox-listener' });
    c.on('notification', (msg) => {
      if (msg.channel !== INBOX_CHANNEL || !msg.payload) return;
      const set = watchers.get(msg.payload);
      if (set) for (const wake of set) wake();
    });
    c.on('error', (err) => {
      log.warn({ err }, 'inbox event listener lost its connection; reconnecting');
      if (client === c) client = null;
      c.end().catch(() => undefined);
      scheduleReconnect();
    });
    await c.connect();
    await c.query(`LISTEN ${INBOX_CHANNEL}`);
    client = c;
    retryDelay = 100;
    // Anything committed while we were not listening is found by re-reading the log.
    wakeAll();
  };

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().catch((err) => {
        log.warn({ err }, 'inbox event listener could not reconnect; retrying');
        retryDelay = Math.min(retryDelay * 2, 5_000);
        scheduleReconnect();
      });
    }, retryDelay);
  };

  await connect();

  return {
    watch(businessId, wake) {
      let set = watchers.get(businessId);
      if (!set) watchers.set(businessId, (set = new Set()));
      set.add(wake);
      return () => {
        set.delete(wake);
        if (set.size === 0) watchers.delete(businessId);
      };
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const c = client;
      client = null;
      if (c) await c.end().catch(() => undefined);
      wakeAll(); // let open streams notice the shutdown
      watchers.clear();
    },
  };
}
