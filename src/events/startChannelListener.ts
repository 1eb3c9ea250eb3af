// One dedicated LISTEN connection on one channel, with keyed watchers: a notification whose payload
// is a key calls that key's watchers. The connection reconnects with backoff; after a reconnect every
// watcher is called with 'reconnected', since notifications sent meanwhile are lost.
import pg from 'pg';
import { listenChannel } from '../db/sql/listenChannel.js';
import { notifyChannel } from '../db/sql/notifyChannel.js';
import { pgSql } from '../db/sqlHandle.js';
import { keyedWatchers } from './keyedWatchers.js';

export type ListenReason = 'notified' | 'reconnected';

export interface ChannelListener {
  watch(key: string, fn: (reason: ListenReason) => void): () => void;
  /** Watches every key: `fn` gets the key, or null after a reconnect (any key may have news). */
  watchAny(fn: (key: string | null, reason: ListenReason) => void): () => void;
  /**
   * Notifies the channel (every process's watchers of these keys, this one's included) over the
   * listening connection, so a wake-up never queues behind the pool. Fails while disconnected; the
   * reconnect then calls every watcher here anyway.
   */
  notify(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export interface ListenerLogger {
  warn(obj: object, msg: string): void;
}

export async function startChannelListener(options: { connectionString: string; channel: string; name: string; log: ListenerLogger }): Promise<ChannelListener> {
  const { connectionString, channel, name, log } = options;
  const watchers = keyedWatchers();
  let client: pg.Client | null = null;
  let closed = false;
  let connectedOnce = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelay = 100;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString, application_name: `omega-${name}` });
    c.on('notification', (msg) => {
      if (msg.channel === channel && msg.payload) watchers.wake(msg.payload, 'notified');
    });
    c.on('error', (err) => {
      log.warn({ err, channel }, `${name} lost its connection; reconnecting`);
      if (client === c) client = null;
      c.end().catch(() => undefined);
      scheduleReconnect();
    });
    await c.connect();
    await listenChannel(pgSql(c), channel);
    client = c;
    retryDelay = 100;
    if (connectedOnce) watchers.wakeAll('reconnected');
    connectedOnce = true;
  };

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().catch((err: unknown) => {
        log.warn({ err, channel }, `${name} could not reconnect; retrying`);
        retryDelay = Math.min(retryDelay * 2, 5_000);
        scheduleReconnect();
      });
    }, retryDelay);
  };

  await connect();

  return {
    watch: (key, fn) => watchers.watch(key, fn),
    watchAny: (fn) => watchers.watchAny(fn),
    async notify(keys) {
      if (!client) throw new Error(`${name} is not connected (reconnecting); cannot notify ${channel}`);
      await notifyChannel(pgSql(client), channel, keys);
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
