import { selectInboxEvents, selectLatestInboxEventId, type InboxEventRow } from '../../db/sql/selectInboxEvents.js';
import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';

export type InboxEvent = InboxEventRow;

const PAGE = 500;

/**
 * Every inbox event of a business after `after` (an event id; omitted: only events from now on),
 * in order, then live ones as they commit. The watcher is registered before the first read, so an
 * event committed in between is read rather than missed; reading by cursor means none is repeated.
 */
export function streamInboxEvents(
  deps: Deps,
  input: { businessId: string; after?: string | null },
): AsyncIterableIterator<InboxEvent> {
  if (input.after != null && !/^\d{1,19}$/.test(input.after)) {
    throw new ValidationError([
      { type: 'value_error', loc: ['after'], msg: 'must be an event cursor (the id of the last event received)', input: input.after },
    ]);
  }
  // An async generator parked on `await` ignores return() until it resumes; aborting wakes it, so a
  // client that unsubscribes from an idle stream releases its watcher at once.
  const controller = new AbortController();
  const inner = readLog(deps, { businessId: input.businessId, after: input.after ?? null, signal: controller.signal });
  return {
    next: () => inner.next(),
    return: (value?: unknown) => {
      controller.abort();
      return inner.return(value as undefined);
    },
    throw: (err?: unknown) => {
      controller.abort();
      return inner.throw(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

async function* readLog(
  deps: Deps,
  input: { businessId: string; after: string | null; signal: AbortSignal },
): AsyncGenerator<InboxEvent, undefined> {
  let pending = true;
  let wakeUp: (() => void) | null = null;
  const unwatch = deps.events.watch(input.businessId, () => {
    pending = true;
    wakeUp?.();
  });
  const onAbort = () => wakeUp?.();
  input.signal.addEventListener('abort', onAbort);
  try {
    let cursor = input.after ?? (await selectLatestInboxEventId(deps.pool, input.businessId));
    while (!input.signal.aborted) {
      if (!pending) {
        await new Promise<void>((resolve) => (wakeUp = resolve));
        wakeUp = null;
        continue;
      }
      pending = false;
      let rows: InboxEventRow[];
      do {
        rows = await selectInboxEvents(deps.pool, input.businessId, cursor, PAGE);
        for (const row of rows) {
          cursor = row.id;
          yield row;
        }
      } while (rows.length === PAGE && !input.signal.aborted);
    }
  } finally {
    unwatch();
    input.signal.removeEventListener('abort', onAbort);
  }
  return undefined;
}
