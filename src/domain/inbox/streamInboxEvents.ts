import { selectInboxEventHorizon } from '../../db/sql/deleteInboxEventsBefore.js';
import { selectInboxEventPosition, selectInboxEventStart, selectInboxEvents, type InboxEventPosition, type InboxEventRow } from '../../db/sql/selectInboxEvents.js';
import type { Deps } from '../deps.js';
import { GoneError, ValidationError } from '../errors.js';
import { inboxEventBatch, type InboxEventBatch } from './inboxEventObjects.js';
import { FENCE_RETRY_FIRST_MS, FENCE_RETRY_MAX_MS, isBefore, TAIL_PAGE } from './inboxTails.js';
import { INBOX_EVENT_RETENTION_DAYS } from './pruneInboxEvents.js';

export type InboxEvent = InboxEventRow;
export type { InboxEventPosition };

/** An event as a stream delivers it: with the batch it was read in, whose objects load once for all of it. */
export type StreamedInboxEvent = InboxEvent & { batch: InboxEventBatch };

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
  if (parsed.xid === null) return await selectInboxEventPosition(deps.sql, businessId, parsed.id);
  // A cursor of a transaction that has not started yet was never issued: reading after it would
  // wait for that transaction (and hold the business's shared tail there).
  const { hidden } = await selectInboxEventStart(deps.sql);
  if (BigInt(parsed.xid) > BigInt(hidden.split(':')[1]!)) {
    throw new ValidationError([{ type: 'value_error', loc: [field], msg: 'is not a cursor this server issued (it is ahead of the event log)', input: after }]);
  }
  return { xid: parsed.xid, id: parsed.id };
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

/** Undelivered rows a subscriber may queue from its tail before it is detached to read on its own. */
export const MAX_QUEUED = 2_000;

/** The start snapshot of a subscription without a cursor: events it saw had committed before, and stay hidden. */
interface Hidden {
  /** pg_snapshot's text form, "xmin:xmax:xip,…" (for the statement). */
  snapshot: string;
  xmin: bigint;
  xmax: bigint;
  running: ReadonlySet<bigint>;
}

function parseSnapshot(snapshot: string): Hidden {
  const [xmin, xmax, running] = snapshot.split(':') as [string, string, string | undefined];
  return { snapshot, xmin: BigInt(xmin), xmax: BigInt(xmax), running: new Set(running ? running.split(',').map(BigInt) : []) };
}

/** Whether a transaction's events are visible in the snapshot, as pg_visible_in_snapshot says. */
function visibleIn(hidden: Hidden, xid: bigint): boolean {
  return xid < hidden.xmin || (xid < hidden.xmax && !hidden.running.has(xid));
}

/** A subscription attached to its business's tail: what the tail delivered and it has not yet yielded. */
interface Attachment {
  queue: StreamedInboxEvent[];
  /** It fell MAX_QUEUED rows behind and was detached: read on its own after the queue. */
  behind: boolean;
  failure: { err: unknown } | null;
  detach(): void;
}

function attachToTail(deps: Deps, businessId: string, position: InboxEventPosition, hidden: Hidden | null, wake: () => void): Attachment | null {
  const attachment: Attachment = { queue: [], behind: false, failure: null, detach: () => undefined };
  let last = position;
  const detach = deps.inboxTails.attach(deps, businessId, position, {
    deliver(rows, batch) {
      for (const row of rows) {
        if (attachment.behind) break;
        // Rows up to its own position came through its own reads (it attached ahead of the tail).
        if (!isBefore(last, row)) continue;
        if (attachment.queue.length >= MAX_QUEUED) {
          attachment.behind = true;
          attachment.detach();
          break;
        }
        last = row;
        if (hidden && visibleIn(hidden, BigInt(row.xid))) continue;
        attachment.queue.push({ ...row, batch });
      }
      wake();
    },
    fail(err) {
      attachment.failure = { err };
      wake();
    },
  });
  if (!detach) return null;
  attachment.detach = detach;
  return attachment;
}

/**
 * The stream: first on its own (from `after`, or from now), page by page, until a read comes back
 * empty; then attached to its business's shared tail (inboxTails.ts) while it keeps up; on its own
 * again, from its last row, if it falls MAX_QUEUED rows behind.
 */
async function* readLog(deps: Deps, input: { businessId: string; after: InboxEventPosition | null; signal: AbortSignal }): AsyncGenerator<StreamedInboxEvent, undefined> {
  let wakeUp: (() => void) | null = null;
  const wake = () => wakeUp?.();
  input.signal.addEventListener('abort', wake);
  let attachment: Attachment | null = null;
  try {
    let cursor: InboxEventPosition;
    let hidden: Hidden | null = null;
    if (input.after) cursor = input.after;
    else {
      const start = await selectInboxEventStart(deps.sql);
      cursor = start.position;
      hidden = parseSnapshot(start.hidden);
    }
    let refusedMs = 0;
    while (!input.signal.aborted) {
      // On its own, until a read comes back empty and the tail has not read past it.
      while (!attachment) {
        // Past the start snapshot's xmax nothing is hidden any more.
        if (hidden && BigInt(cursor.xid) >= hidden.xmax) hidden = null;
        const page = await selectInboxEvents(deps.sql, input.businessId, cursor, TAIL_PAGE, hidden?.snapshot ?? null);
        if (input.signal.aborted) return undefined;
        if (page.events.length === 0) {
          // Nothing of a transaction older than the fence is left to read: move up to it (rows of the
          // fence's own transaction, still running, have ids above 0). Then the tail, whose position
          // was read behind an earlier fence, is not ahead any more.
          if (BigInt(page.fence) > BigInt(cursor.xid)) cursor = { xid: page.fence, id: '0' };
          attachment = attachToTail(deps, input.businessId, cursor, hidden, wake);
          if (attachment) continue;
          // Still ahead (a fence reported lower for a moment): read again after a pause, never at once.
          refusedMs = Math.min(refusedMs * 2 || FENCE_RETRY_FIRST_MS, FENCE_RETRY_MAX_MS);
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, refusedMs);
            wakeUp = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wakeUp = null;
          continue;
        }
        refusedMs = 0;
        const batch = inboxEventBatch(deps, input.businessId, page.events);
        for (const row of page.events) {
          cursor = row;
          yield { ...row, batch };
        }
      }
      // Attached: what the tail delivers, in order.
      for (;;) {
        const next: StreamedInboxEvent | undefined = attachment.queue.shift();
        if (next) {
          cursor = next;
          // Live events only (a catch-up from an old cursor is not lag): written to handed over.
          deps.metrics.inboxFanoutLag.observe(Math.max(0, Date.now() - next.created_at.getTime()) / 1000);
          yield next;
          continue;
        }
        if (attachment.failure) throw attachment.failure.err;
        if (input.signal.aborted || attachment.behind) break;
        await new Promise<void>((resolve) => (wakeUp = resolve));
        wakeUp = null;
      }
      attachment.detach();
      attachment = null;
    }
  } finally {
    attachment?.detach();
    input.signal.removeEventListener('abort', wake);
  }
  return undefined;
}
