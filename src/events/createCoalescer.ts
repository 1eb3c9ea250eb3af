// The one way this process coalesces its wake-ups (inbox subscribers, graphile-worker's workers):
// what is pushed in one event-loop turn, and what arrives while a send is in flight, goes out in the
// next single send, so a burst of commits costs one small statement, not one each.

export interface Coalescer<Item> {
  /** Adds to the next send (dropped once closed). */
  push(item: Item): void;
  /** Sends what is pending and waits for it; later pushes are dropped. */
  close(): Promise<void>;
}

export interface CoalescerOptions<Item, Batch> {
  /** A fresh, empty batch. */
  empty(): Batch;
  /** The batch with the item added (it may be changed in place). */
  add(batch: Batch, item: Item): Batch;
  isEmpty(batch: Batch): boolean;
  send(batch: Batch): Promise<unknown>;
  /** A failed send: its batch is not retried (the receivers have a timed fallback). */
  onError(err: unknown, batch: Batch): void;
}

export function createCoalescer<Item, Batch>(options: CoalescerOptions<Item, Batch>): Coalescer<Item> {
  let pending = options.empty();
  let scheduled: NodeJS.Immediate | null = null;
  let sending = false;
  let sent: Promise<void> = Promise.resolve();
  let closed = false;

  const sendAll = async () => {
    sending = true;
    try {
      while (!options.isEmpty(pending)) {
        const batch = pending;
        pending = options.empty();
        try {
          await options.send(batch);
        } catch (err) {
          options.onError(err, batch);
        }
      }
    } finally {
      // Synchronously after the last look at `pending`: a later push schedules a new send.
      sending = false;
    }
  };
  const start = () => {
    scheduled = null;
    sent = sendAll();
  };
  return {
    push(item) {
      if (closed) return;
      pending = options.add(pending, item);
      if (!scheduled && !sending) scheduled = setImmediate(start);
    },
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
