import { lockConversationsMatching, selectConversationIdsMatching, type ConversationListFilter } from '../../db/sql/selectConversationPage.js';
import { updateConversationsAssignee, updateConversationsStatus } from '../../db/sql/updateConversationsBulk.js';
import { runTransaction } from '../../db/transaction.js';
import { setStatusChangeContext } from '../../db/sql/setStatusChangeContext.js';
import type { ConversationStatus } from '../../generated/prisma/client.js';
import { authorizeBusiness } from '../auth/authorizeBusiness.js';
import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { DomainError, ValidationError, type FieldIssue } from '../errors.js';
import { assertOptionalUuid, assertUuid } from '../ids.js';
import { applyConversationLabels, checkLabelIds } from '../labels/conversationLabelRules.js';
import { checkAssignee, checkStatusChange, publishAssignment, recordStatusChange, snoozeEndOf } from './conversationRules.js';
import { checkConversationFilter } from './listConversations.js';

/** At most this many ids in a bulk action by ids. */
export const MAX_BULK_IDS = 1000;
/** At most this many conversations a bulk action by filter acts on (422 BULK_TOO_MANY past it: narrow the filter). */
export const MAX_BULK_FILTER_MATCHES = 10_000;
/** Conversations per transaction: each chunk locks its rows in id order, changes them and writes their events, then commits. */
export const BULK_CHUNK_SIZE = 200;

export interface BulkTarget {
  /** These conversations (at most MAX_BULK_IDS)... */
  ids?: readonly string[] | null;
  /** ...or those the list filter matches (at most MAX_BULK_FILTER_MATCHES). */
  filter?: ConversationListFilter | null;
}

export interface BulkAction {
  /** A staff member to assign; null: unassign; undefined: assignment unchanged. */
  assigneeId?: string | null;
  addLabelIds?: readonly string[] | null;
  removeLabelIds?: readonly string[] | null;
  /** The status to set, with snoozedUntil for snoozed (as updateConversationStatus). */
  status?: ConversationStatus | null;
  snoozedUntil?: Date | null;
}

export interface BulkFailure {
  conversationId: string;
  code: string;
  message: string;
}

export interface BulkResult {
  /** Conversations the target named that are the business's (ids) or that the filter matched. */
  matched: number;
  /** Those the action changed (each with its events). */
  changed: number;
  /** Those that already were as asked. */
  unchanged: number;
  /** Matched by the filter at first, but no longer when their chunk ran (or gone). */
  skipped: number;
  /** Ids that are not the business's conversations, and chunks that failed, with the reason. */
  failed: BulkFailure[];
}

/**
 * One action on many conversations, by ids or by a list filter: assign or unassign, add or remove
 * labels, change the status (with a snooze's end). The rules are those of the single operations
 * (conversationRules.ts, conversationLabelRules.ts). Conversations go in chunks of BULK_CHUNK_SIZE,
 * each one transaction that locks its rows in id order (two bulk actions on overlapping sets wait
 * for each other instead of deadlocking), changes only what differs, and publishes one event per
 * real change. A chunk that fails is reported in `failed`; the others stay done.
 */
export async function bulkUpdateConversations(deps: Deps, input: { principal: Principal | null; businessId: string; target: BulkTarget; action: BulkAction }): Promise<BulkResult> {
  const { businessId } = input;
  await authorizeBusiness(deps, input.principal, businessId);
  const action = await checkAction(deps, businessId, input.action);
  const target = checkTarget(input.target, input.principal);

  let ids: string[];
  const failed: BulkFailure[] = [];
  if (target.ids) {
    const known = new Set((await deps.prisma.conversation.findMany({ where: { businessId, id: { in: target.ids } }, select: { id: true } })).map((c) => c.id));
    ids = target.ids.filter((id) => known.has(id));
    for (const id of target.ids) {
      if (!known.has(id)) failed.push({ conversationId: id, code: 'CONVERSATION_NOT_FOUND', message: `No conversation ${id} in business ${JSON.stringify(businessId)}.` });
    }
  } else {
    ids = await selectConversationIdsMatching(deps.sql, businessId, target.filter!, MAX_BULK_FILTER_MATCHES + 1);
    if (ids.length > MAX_BULK_FILTER_MATCHES) {
      throw new ValidationError(
        [
          {
            type: 'too_long',
            loc: ['target', 'filter'],
            msg: `The filter matches more than ${MAX_BULK_FILTER_MATCHES} conversations: narrow it, or repeat the action (what it changed no longer matches a filter on what it changes)`,
          },
        ],
        'BULK_TOO_MANY',
      );
    }
  }
  ids.sort();

  const result: BulkResult = { matched: ids.length, changed: 0, unchanged: 0, skipped: 0, failed };
  for (let i = 0; i < ids.length; i += BULK_CHUNK_SIZE) {
    const chunk = ids.slice(i, i + BULK_CHUNK_SIZE);
    try {
      const outcome = await runTransaction(deps, async (tx) => {
        const locked = await lockConversationsMatching(tx.sql, businessId, target.filter ?? null, chunk);
        const changed = new Set<string>();
        if (action.assigneeId !== undefined) {
          await checkAssignee(tx, businessId, action.assigneeId, ['action', 'assigneeId']);
          for (const id of await updateConversationsAssignee(tx.sql, businessId, locked, action.assigneeId)) {
            await publishAssignment(tx.sql, businessId, id, action.assigneeId);
            changed.add(id);
          }
        }
        if (action.status) {
          // The status history's who, why and when (its trigger reads them): the caller's staff member for a session.
          await setStatusChangeContext(tx.sql, { staffId: input.principal?.kind === 'session' ? input.principal.staffId : null, reason: 'bulk_update', at: deps.clock.now() });
          for (const row of await updateConversationsStatus(tx.sql, businessId, locked, action.status, snoozeEndOf(action))) {
            await recordStatusChange(tx.sql, businessId, row, true);
            changed.add(row.id);
          }
        }
        if (action.labels) {
          for (const id of (await applyConversationLabels(tx, businessId, locked, action.labels)).keys()) changed.add(id);
        }
        return { locked: locked.length, changed: changed.size };
      });
      result.changed += outcome.changed;
      result.unchanged += outcome.locked - outcome.changed;
      result.skipped += chunk.length - outcome.locked;
    } catch (err) {
      const code = err instanceof DomainError ? err.code : 'BULK_CHUNK_FAILED';
      const message = err instanceof DomainError ? err.message : 'This chunk of conversations could not be changed (its transaction failed); nothing in it changed, try these again.';
      for (const id of chunk) failed.push({ conversationId: id, code, message });
    }
  }
  return result;
}

interface CheckedAction {
  assigneeId?: string | null;
  status?: ConversationStatus;
  snoozedUntil?: Date | null;
  labels?: { add: string[]; remove: string[] };
}

async function checkAction(deps: Deps, businessId: string, action: BulkAction): Promise<CheckedAction> {
  const out: CheckedAction = {};
  const hasLabels = Boolean(action.addLabelIds?.length || action.removeLabelIds?.length);
  if (action.assigneeId === undefined && !action.status && !hasLabels) {
    throw new ValidationError([{ type: 'missing', loc: ['action'], msg: 'Give an action: assigneeId (null unassigns), addLabelIds, removeLabelIds or status' }]);
  }
  if (action.assigneeId !== undefined) {
    out.assigneeId = assertOptionalUuid(action.assigneeId, ['action', 'assigneeId']) ?? null;
    await checkAssignee(deps, businessId, out.assigneeId, ['action', 'assigneeId']);
  }
  if (action.status || action.snoozedUntil) {
    const change = { ...(action.status ? { status: action.status } : {}), ...(action.snoozedUntil ? { snoozedUntil: action.snoozedUntil } : {}) };
    checkStatusChange(deps, change, ['action'], false);
    if (action.status) out.status = action.status;
    out.snoozedUntil = action.snoozedUntil ?? null;
  }
  if (hasLabels) out.labels = await checkLabelIds(deps, businessId, { add: action.addLabelIds ?? [], remove: action.removeLabelIds ?? [] }, ['action']);
  return out;
}

function checkTarget(target: BulkTarget, principal: Principal | null): { ids?: string[]; filter?: ConversationListFilter } {
  const issues: FieldIssue[] = [];
  if ((target.ids == null) === (target.filter == null)) {
    throw new ValidationError([{ type: 'value_error', loc: ['target'], msg: 'Give either ids or filter' }]);
  }
  if (target.ids) {
    if (target.ids.length === 0) issues.push({ type: 'too_short', loc: ['target', 'ids'], msg: 'Give at least one conversation id', input: [] });
    if (target.ids.length > MAX_BULK_IDS) issues.push({ type: 'too_long', loc: ['target', 'ids'], msg: `At most ${MAX_BULK_IDS} ids: use a filter, or several calls`, input: target.ids.length });
    if (issues.length) throw new ValidationError(issues);
    return { ids: [...new Set(target.ids.map((id, i) => assertUuid(id, ['target', 'ids', i])))] };
  }
  return { filter: checkConversationFilter(target.filter!, principal, ['target', 'filter']) };
}
