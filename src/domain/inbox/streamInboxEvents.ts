import { selectInboxEventHorizon } from '../../db/sql/deleteInboxEventsBefore.js';
import { selectInboxEventPosition, selectInboxEventStart, selectInboxEvents, type InboxEventPosition, type InboxEventRow } from '../../db/sql/selectInboxEvents.js';
import type { Deps } from '../deps.js';
import { GoneError, ValidationError } from '../errors.js';
import { inboxEventBatch, type InboxEventBatch } from './inboxEventObjects.js';
import { INBOX_EVENT_RETENTION_DAYS } from './pruneInboxEvents.js';

export type InboxEvent = InboxEventRow;
export type { InboxEventPosition };

/** An event as a stream delivers it: with the batch it was read in, whose objects load once for all of it. */
export type StreamedInboxEvent = InboxEvent & { batch: InboxEventBatch };

const PAGE = 500;
/** Re-read while committed events wait behind a running transaction: 2 ms, doubling, up to 100 ms. */
const FENCE_RETRY_FIRST_MS = 2;
const FENCE_RETRY_MAX_MS = 100;
/** Re-read this often (plus up to half again, spread) while idle: a wake-up lost in a crash between COMMIT and NOTIFY. */
export const IDLE_REREAD_MS = 1_500;

/** The cursor of an event as clients see it: opaque, "<xid>:<id>". */
export function inboxEventCursor(event: InboxEventPosition): string {
  return `${event.xid}:${event.id}`;
}

const MAX_XID8 = 2n ** 64n - 1n;
const MAX_BIGINT = 2n ** 63n - 1n;

/** A cursor "<xid>:<id>", or a bare event id (cursors issued before they carried the xid); null if malformed. */
export function parseCursor(after: string): { xid: string | null; id: string } | null {
  const match = /^(?:(\d{1,20}):)?(\d{1,19})$/.exec(after);
  if (!match) return null;
  const [, xid, id] = match as unknown as [string, string | undefined, string];
  if ((xid !== undefined && BigInt(xid) > MAX_XID8) || BigInt(id) > MAX_BIGINT) return null;
  return { xid: xid ?? null, id };
}

function isBefore(a: InboxEventPosition, b: InboxEventPosition): boolean {
  const ax = BigInt(a.xid);
  const bx = BigInt(b.xid);
  return ax < bx || (ax === bx && BigInt(a.id) < BigInt(b.id));
}

/**
 * The log position of a cursor a client sent (`field` names the input), checked against what the log
 * still holds: a cursor below the newest pruned event has missed events, a GoneError CURSOR_EXPIRED
 * (REST 410) that tells the client to load its state afresh.
 */
export async function resolveInboxCursor(deps: Deps, businessId: string, after: string, field: string): Promise<InboxEventPosition> {
  const position = await inboxCursorPosition(deps, businessId, after, field);
  await assertCursorKept(deps, businessId, position, after);
  return position;
}

/** The log position of a cursor a client sent, not yet checked against what the log keeps (assertCursorKept). */
export async function inboxCursorPosition(deps: Deps, businessId: string, after: string, field: string): Promise<InboxEventPosition> {
  const parsed = parseCursor(after);
  if (!parsed) throw new ValidationError([{ type: 'value_error', loc: [field], msg: 'must be an event cursor (the cursor of the last event received)', input: after }]);
  return parsed.xid !== null ? { xid: parsed.xid, id: parsed.id } : await selectInboxEventPosition(deps.sql, businessId, parsed.id);
}

/** CURSOR_EXPIRED unless the log still holds every event after `position` (`after`: the cursor as sent). */
export async function assertCursorKept(deps: Deps, businessId: string, position: InboxEventPosition, after: string): Promise<void> {
  const horizon = await selectInboxEventHorizon(deps.sql, businessId);
  if (horizon && isBefore(position, horizon)) {
    throw new GoneError(
      'CURSOR_EXPIRED',
      `cursor ${after} is older than the event log keeps (${INBOX_EVENT_RETENTION_DAYS} days): events after it were pruned. Load the current state again and continue from a new cursor`,
    );
  }
}

/**
 * A cursor for "now": every event committed after this call is after it. Load a first page, then
 * subscribe (or poll) from this cursor: nothing is missed; an event committed while the page loaded
 * may come again, as events are applied by id that does no harm.
 */
export async function currentInboxCursor(deps: Deps): Promise<string> {
  const start = await selectInboxEventStart(deps.sql);
  return inboxEventCursor(start.position);
}

/**
 * Every inbox event of a business after `after` (a cursor; omitted: only events committed from now
 * on), in order, then live ones as they commit, with no gap and no duplicate. Events are ordered
 * by (writing transaction id, id) and read only up to the oldest transaction still running (see
 * selectInboxEvents), so none can commit behind the cursor later. The watcher is registered before
 * the first read, so an event committed in between is read rather than missed.
 */
export async function streamInboxEvents(deps: Deps, input: { businessId: string; after?: string | null }): Promise<AsyncIterableIterator<StreamedInboxEvent>> {
  const after = input.after == null ? null : await resolveInboxCursor(deps, input.businessId, input.after, 'after');
  return abortableLog(deps, input.businessId, after);
}

function abortableLog(deps: Deps, businessId: string, after: InboxEventPosition | null): AsyncIterableIterator<StreamedInboxEvent> {
  // An async generator parked on `await` ignores return() until it resumes; aborting wakes it, so a
  // client that unsubscribes from an idle stream releases its watcher at once.
  const controller = new AbortController();
  const inner = readLog(deps, { businessId, after, signal: controller.signal });
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

async function* readLog(deps: Deps, input: { businessId: string; after: InboxEventPosition | null; signal: AbortSignal }): AsyncGenerator<StreamedInboxEvent, undefined> {
  let pending = true;
  let wakeUp: (() => void) | null = null;
  const unwatch = deps.events.watch(input.businessId, () => {
    pending = true;
    wakeUp?.();
  });
  const onAbort = () => wakeUp?.();
  input.signal.addEventListener('abort', onAbort);
  /** Resolves after `ms`, on a wake-up or on abort, whichever comes first. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wakeUp = null;
        resolve();
      }, ms);
      wakeUp = () => {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      };
    });
  try {
    let cursor: InboxEventPosition;
    // Events the start snapshot already saw (committed before the subscription) stay hidden.
    let hidden: { snapshot: string; xmax: bigint } | null = null;
    if (input.after) cursor = input.after;
    else {
      const start = await selectInboxEventStart(deps.sql);
      cursor = start.position;
      hidden = { snapshot: start.hidden, xmax: BigInt(start.hidden.split(':')[1]!) };
    }
    let retryMs = 0;
    while (!input.signal.aborted) {
      if (!pending) {
        await sleep(retryMs || IDLE_REREAD_MS * (1 + Math.random() / 2));
        pending = true;
        continue;
      }
      pending = false;
      let page;
      do {
        // Past the start snapshot's xmax nothing is hidden any more.
        if (hidden && BigInt(cursor.xid) >= hidden.xmax) hidden = null;
        page = await selectInboxEvents(deps.sql, input.businessId, cursor, PAGE, hidden?.snapshot ?? null);
        const batch = inboxEventBatch(deps, input.businessId, page.events);
        for (const row of page.events) {
          cursor = row;
          yield { ...row, batch };
        }
      } while (page.events.length === PAGE && !input.signal.aborted);
      // Committed events wait behind a running transaction. If it writes events its notification
      // wakes this loop; if not, nothing will: read again soon, backing off while the fence stays
      // (under steady traffic there is nearly always some transaction open, and notifications
      // drive the reads).
      retryMs = page.fenced ? Math.min(retryMs * 2 || FENCE_RETRY_FIRST_MS, FENCE_RETRY_MAX_MS) : 0;
    }
  } finally {
    unwatch();
    input.signal.removeEventListener('abort', onAbort);
  }
  return undefined;
}
