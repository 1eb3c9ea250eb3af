import { selectInboxEvents } from '../../db/sql/selectInboxEvents.js';
import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import { inboxEventBatch } from './inboxEventObjects.js';
import { isInboxEventType, INBOX_EVENT_TYPES, type InboxEventType } from './inboxEventTypes.js';
import { serializeInboxEvent, type InboxEventJson } from './serializeInboxEvent.js';
import { assertCursorKept, inboxCursorPosition, inboxEventCursor, type InboxEventPosition } from './streamInboxEvents.js';

export const FEED_DEFAULT_LIMIT = 100;
export const FEED_MAX_LIMIT = 500;

export interface InboxEventFeedPage {
  items: InboxEventJson[];
  /** Pass as `after` to continue: the last item's cursor, or (when the page is not full) where the log was read to. */
  nextCursor: string;
}

/**
 * The event feed: a business's events after `after` (omitted: from the oldest the log keeps), in the
 * same order as the subscription and in the webhooks' JSON, at most `limit`, optionally only `types`.
 * Events still behind a running transaction wait for the next poll (the subscription's fence), so
 * polling from `nextCursor` misses nothing and repeats nothing.
 */
export async function listInboxEvents(deps: Deps, input: { businessId: string; after?: string | null; limit?: number | null; types?: readonly string[] | null }): Promise<InboxEventFeedPage> {
  const limit = input.limit ?? FEED_DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > FEED_MAX_LIMIT) {
    throw new ValidationError([{ type: 'value_error', loc: ['limit'], msg: `must be an integer from 1 to ${FEED_MAX_LIMIT}`, input: limit }]);
  }
  const types = input.types?.length ? input.types : null;
  const unknown = types?.findIndex((t) => !isInboxEventType(t)) ?? -1;
  if (types && unknown >= 0) {
    throw new ValidationError([{ type: 'enum', loc: ['types', unknown], msg: `must be one of ${INBOX_EVENT_TYPES.join(', ')}`, input: types[unknown] }]);
  }
  const after: InboxEventPosition = input.after == null ? { xid: '0', id: '0' } : await inboxCursorPosition(deps, input.businessId, input.after, 'after');
  const page = await selectInboxEvents(deps.sql, input.businessId, after, limit, null, types as InboxEventType[] | null);
  // Checked after the read: a prune that ran before it moved the horizon past the cursor; one after it
  // cannot take what was read.
  if (input.after != null) await assertCursorKept(deps, input.businessId, after, input.after);
  const last = page.events.at(-1);
  // A full page continues after its last event; a short one read everything below the fence.
  const readTo: InboxEventPosition = last && page.events.length === limit ? last : BigInt(page.fence) > BigInt(after.xid) ? { xid: page.fence, id: '0' } : (last ?? after);
  const objects = await inboxEventBatch(deps, input.businessId, page.events).objects();
  return { items: page.events.map((e) => serializeInboxEvent(e, objects)), nextCursor: inboxEventCursor(readTo) };
}
