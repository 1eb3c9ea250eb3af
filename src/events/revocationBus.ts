// Tells every gateway process when a session or an API key is revoked, so connections that
// authenticated with it earlier (graphql-ws sockets) are closed at once. The migration's triggers
// NOTIFY channel omega_credentials_revoked with "session:<id>" or "api_key:<id>" at COMMIT; HTTP
// requests need nothing of this, as they check the credential on every request.
import pg from 'pg';

export const REVOCATION_CHANNEL = 'omega_credentials_revoked';

export interface RevocationBus {
  /**
   * Calls `onRevoked` when credential `id` ("session:<uuid>" or "api_key:<uuid>") is revoked, and
   * also after the listener reconnects (a notification may have been missed: re-check then).
   */
  watch(id: string, onRevoked: (reason: 'revoked' | 'recheck') => void): () => void;
  close(): Promise<void>;
}

export interface RevocationBusLogger {
  warn(obj: object, msg: string): void;
}

/** One dedicated LISTEN connection per process; reconnects with backoff. */
export async function startRevocationBus(connectionString: string, log: RevocationBusLogger): Promise<RevocationBus> {
  const watchers = new Map<string, Set<(reason: 'revoked' | 'recheck') => void>>();
  let client: pg.Client | null = null;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelay = 100;
  let connectedOnce = false;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString, application_name: 'omega-revocation-listener' });
    c.on('notification', (msg) => {
      if (msg.channel !== REVOCATION_CHANNEL || !msg.payload) return;
      const set = watchers.get(msg.payload);
      if (set) for (const fn of [...set]) fn('revoked');
    });
    c.on('error', (err) => {
      log.warn({ err }, 'revocation listener lost its connection; reconnecting');
      if (client === c) client = null;
      c.end().catch(() => undefined);
      scheduleReconnect();
    });
    await c.connect();
    await c.query(`LISTEN ${REVOCATION_CHANNEL}`);
    client = c;
    retryDelay = 100;
    if (connectedOnce) for (const set of watchers.values()) for (const fn of [...set]) fn('recheck');
    connectedOnce = true;
  };

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().catch((err) => {
        log.warn({ err }, 'revocation listener could not reconnect; retrying');
        retryDelay = Math.min(retryDelay * 2, 5_000);
        scheduleReconnect();
      });
    }, retryDelay);
  };

  await connect();

  return {
    watch(id, onRevoked) {
      let set = watchers.get(id);
      if (!set) watchers.set(id, (set = new Set()));
      set.add(onRevoked);
      return () => {
        set.delete(onRevoked);
        if (set.size === 0) watchers.delete(id);
      };
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const c = client;
      client = null;
      if (c) await c.end().catch(() => undefined);
      watchers.clear();
    },
  };
}
