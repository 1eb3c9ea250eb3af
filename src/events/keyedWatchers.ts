import type { ListenReason } from './startChannelListener.js';

export type Watcher = (reason: ListenReason) => void;
export type AnyWatcher = (key: string | null, reason: ListenReason) => void;

/** The watchers of each key of a channel listener (PostgreSQL or Redis): what a wake-up calls. */
export interface KeyedWatchers {
  /** Adds `fn` to the watchers of `key`; returns its removal. */
  watch(key: string, fn: Watcher): () => void;
  /** Adds `fn` to the watchers of every key (called with the key, or null after a reconnect); returns its removal. */
  watchAny(fn: AnyWatcher): () => void;
  /** Calls the watchers of `key` (a notification naming it). */
  wake(key: string, reason: ListenReason): void;
  /** Calls every watcher (after a reconnect: notifications sent meanwhile are lost). */
  wakeAll(reason: ListenReason): void;
  clear(): void;
}

export function keyedWatchers(): KeyedWatchers {
  const watchers = new Map<string, Set<Watcher>>();
  const anyWatchers = new Set<AnyWatcher>();
  const call = (set: Set<Watcher> | undefined, reason: ListenReason) => {
    if (set) for (const fn of [...set]) fn(reason);
  };
  return {
    watch(key, fn) {
      let set = watchers.get(key);
      if (!set) watchers.set(key, (set = new Set()));
      set.add(fn);
      return () => {
        set.delete(fn);
        if (set.size === 0) watchers.delete(key);
      };
    },
    watchAny(fn) {
      anyWatchers.add(fn);
      return () => anyWatchers.delete(fn);
    },
    wake: (key, reason) => {
      call(watchers.get(key), reason);
      for (const fn of [...anyWatchers]) fn(key, reason);
    },
    wakeAll: (reason) => {
      for (const set of [...watchers.values()]) call(set, reason);
      for (const fn of [...anyWatchers]) fn(null, reason);
    },
    clear: () => {
      watchers.clear();
      anyWatchers.clear();
    },
  };
}
