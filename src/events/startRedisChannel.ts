// The Redis event target: the same keyed wake-ups as startChannelListener, over Redis pub/sub
// instead of PostgreSQL LISTEN/NOTIFY (chosen when REDIS_URL is set). A message says only "key X
// has news"; what happened is always read from the database, so a message lost while the
// subscriber was reconnecting loses nothing: after a reconnect every watcher is called with
// 'reconnected' and re-reads.
import { Redis } from 'ioredis';
import { keyedWatchers } from './keyedWatchers.js';
import type { ChannelListener, ListenerLogger } from './startChannelListener.js';

/**
 * A ChannelListener over Redis; its notify publishes one message per key (one round trip for all),
 * heard by every process's watchers of those keys, this one's included.
 */
export async function startRedisChannel(options: { url: string; channel: string; name: string; log: ListenerLogger }): Promise<ChannelListener> {
  const { url, channel, name, log } = options;
  const watchers = keyedWatchers();

  const common = { lazyConnect: true, connectionName: `omega-${name}`, maxRetriesPerRequest: 3 } as const;
  // A connection in subscriber mode can only (un)subscribe, so publishing needs a second one.
  const subscriber = new Redis(url, { ...common, autoResubscribe: true });
  const publisher = new Redis(url, common);
  let readyOnce = false;
  subscriber.on('ready', () => {
    if (readyOnce) watchers.wakeAll('reconnected');
    readyOnce = true;
  });
  subscriber.on('message', (ch: string, key: string) => {
    if (ch === channel) watchers.wake(key, 'notified');
  });
  for (const [role, conn] of [
    ['subscriber', subscriber],
    ['publisher', publisher],
  ] as const) {
    conn.on('error', (err: Error) => log.warn({ err, channel, role }, `${name} (redis ${role}) connection error; reconnecting`));
  }

  try {
    await Promise.all([subscriber.connect(), publisher.connect()]);
    await subscriber.subscribe(channel);
  } catch (err) {
    subscriber.disconnect();
    publisher.disconnect();
    throw new Error(`${name}: cannot subscribe to Redis channel ${channel} at REDIS_URL: ${(err as Error).message}`, { cause: err });
  }

  return {
    watch: (key, fn) => watchers.watch(key, fn),
    watchAny: (fn) => watchers.watchAny(fn),
    async notify(keys) {
      if (keys.length === 0) return;
      const pipeline = publisher.pipeline();
      for (const key of keys) pipeline.publish(channel, key);
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([err]) => err)?.[0];
      if (failed) throw failed;
    },
    async close() {
      watchers.clear();
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
