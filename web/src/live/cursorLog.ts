// Which events were seen: after a reconnect the subscription resumes `after:` the last cursor, so
// nothing should repeat, but an event may arrive twice around a drop (or an old socket's last frame
// may race the new one). Cursors are opaque: remember the recent ones and drop repeats.

export interface CursorLog {
  /** The cursor of the last event accepted (where to resume), or the starting cursor. */
  readonly last: string | null;
  /**
   * The cursor accepted before `last` (the starting cursor counts); null when no event came since
   * the start. Resuming `after:` it makes the server send `last` again first: a repeat, dropped, that
   * confirms the resumed subscription (LiveProvider).
   */
  readonly previous: string | null;
  /** true (and remembered) for a cursor not seen before; false for a repeat. */
  accept(cursor: string): boolean;
  /** Forget everything and start from a new cursor (after CURSOR_EXPIRED and a reload). */
  reset(cursor: string | null): void;
}

export function createCursorLog(start: string | null, capacity = 2000): CursorLog {
  let last = start;
  let previous: string | null = null;
  let seen = new Set<string>();
  return {
    get last() {
      return last;
    },
    get previous() {
      return previous;
    },
    accept(cursor) {
      if (seen.has(cursor) || cursor === start) return false;
      seen.add(cursor);
      if (seen.size > capacity) {
        // Keep the newer half (a Set iterates in insertion order).
        seen = new Set([...seen].slice(Math.floor(capacity / 2)));
      }
      previous = last;
      last = cursor;
      return true;
    },
    reset(cursor) {
      start = cursor;
      last = cursor;
      previous = null;
      seen = new Set();
    },
  };
}

/** Reconnect delay: 0.5 s doubling to 15 s, with up to 30 % jitter (`random` in [0, 1)). */
export function backoffMs(attempt: number, random: number = Math.random()): number {
  const base = Math.min(15_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base * (1 + 0.3 * random));
}
