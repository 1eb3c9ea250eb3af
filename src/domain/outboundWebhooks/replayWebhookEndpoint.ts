import { insertReplayDeliveries } from '../../db/sql/insertReplayDeliveries.js';
import { selectInboxEventPositionSince } from '../../db/sql/selectInboxEventPositionSince.js';
import { runTransaction } from '../../db/transaction.js';
import { assertApiKey, type Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import { assertUuid } from '../ids.js';
import { INBOX_EVENT_RETENTION_DAYS } from '../inbox/pruneInboxEvents.js';
import { inboxEventCursor, resolveInboxCursor, type InboxEventPosition } from '../inbox/streamInboxEvents.js';
import { endpointDisabled, findWebhookEndpoint } from './deliveryLog.js';
import { wakeDeliverer } from './wakeDeliverer.js';

/** Events queued by one replay call at most; `nextCursor` continues. */
export const REPLAY_MAX_EVENTS = 10_000;

export interface ReplayWebhookEndpointInput {
  principal: Principal | null;
  businessId: string;
  endpointId: string;
  /** Replay the events after this cursor (an event's `cursor`, or a replay's `nextCursor`). */
  after?: string | null;
  /** Or the events written at or after this time, within the log's retention (30 days). */
  since?: Date | null;
  /** At most this many events (1 to 10,000; default 10,000). */
  maxEvents?: number | null;
}

export interface ReplayResult {
  /** Deliveries queued. */
  queued: number;
  /** Where to continue (as `after`) when the call stopped at maxEvents; null when it reached the end. */
  nextCursor: string | null;
}

/**
 * Sends an endpoint's events again from a point of the log: a pending 'replay' delivery of each
 * event of the business after the cursor `after`, or from the time `since` (exactly one of them), of
 * the types the endpoint subscribes to, in log order, in one statement, then the endpoint's
 * deliverer is woken in the same transaction. It stops at the endpoint's dispatch cursor (events
 * after it are on their way already: the dispatcher queues them once) and after `maxEvents`
 * events, answering `nextCursor` to continue. A cursor older than the log keeps is 410
 * CURSOR_EXPIRED. API keys only; the endpoint must be enabled.
 */
export async function replayWebhookEndpoint(deps: Deps, input: ReplayWebhookEndpointInput): Promise<ReplayResult> {
  assertApiKey(input.principal);
  assertUuid(input.endpointId, ['endpointId']);
  const maxEvents = input.maxEvents ?? REPLAY_MAX_EVENTS;
  if (!Number.isInteger(maxEvents) || maxEvents < 1 || maxEvents > REPLAY_MAX_EVENTS) {
    throw new ValidationError([{ type: 'value_error', loc: ['maxEvents'], msg: `must be a whole number from 1 to ${REPLAY_MAX_EVENTS}`, input: maxEvents }]);
  }
  if ((input.after == null) === (input.since == null)) {
    throw new ValidationError([
      { type: input.after == null ? 'missing' : 'value_error', loc: ['after'], msg: 'give exactly one of after (an event cursor) and since (a time)', input: input.after ?? null },
    ]);
  }
  const endpoint = await findWebhookEndpoint(deps.prisma, input.businessId, input.endpointId);
  if (!endpoint.enabled) throw endpointDisabled(endpoint.id);
  const after = input.after != null ? await resolveInboxCursor(deps, input.businessId, input.after, 'after') : await sincePosition(deps, input.businessId, input.since!);
  if (!after) return { queued: 0, nextCursor: null };
  const replayed = await runTransaction(deps, async (tx) => {
    const result = await insertReplayDeliveries(tx.sql, { businessId: input.businessId, endpointId: endpoint.id, after, limit: maxEvents });
    if (result.queued > 0) await wakeDeliverer(tx.sql, endpoint.id);
    return result;
  });
  return { queued: replayed.queued, nextCursor: replayed.queued === maxEvents && replayed.last ? inboxEventCursor(replayed.last) : null };
}

/** The log position before the first event at or after `since`, which must be within the retention; null: no event since. */
async function sincePosition(deps: Deps, businessId: string, since: Date): Promise<InboxEventPosition | null> {
  const oldest = deps.clock.now().getTime() - INBOX_EVENT_RETENTION_DAYS * 86_400_000;
  if (Number.isNaN(since.getTime()) || since.getTime() < oldest) {
    throw new ValidationError([
      {
        type: 'value_error',
        loc: ['since'],
        msg: `must be within the last ${INBOX_EVENT_RETENTION_DAYS} days (the event log's retention)`,
        input: Number.isNaN(since.getTime()) ? null : since.toISOString(),
      },
    ]);
  }
  return selectInboxEventPositionSince(deps.sql, businessId, since);
}
