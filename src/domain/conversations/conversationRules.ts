// Rules of a conversation's assignment and status, in one place for the single-conversation
// operations (assignConversation, updateConversationStatus) and bulkUpdateConversations.
import type { ConversationStatus } from '../../generated/prisma/client.js';
import type { Sql } from '../../db/sqlHandle.js';
import type { Tx } from '../../db/tx.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError, type FieldIssue } from '../errors.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';
import { scheduleSnoozeEnd } from './scheduleSnoozeEnd.js';

/** A staff member may be assigned when they belong to the business and are active (404 STAFF_NOT_FOUND, 422 STAFF_INACTIVE). Null (unassign) always may. */
export async function checkAssignee(tx: Pick<Tx, 'prisma'>, businessId: string, staffId: string | null, loc: (string | number)[] = ['staffId']): Promise<void> {
  if (!staffId) return;
  const staff = await tx.prisma.staff.findFirst({ where: { id: staffId, businessId }, select: { active: true } });
  if (!staff) throw new NotFoundError('STAFF_NOT_FOUND', `No staff member ${staffId} in business ${JSON.stringify(businessId)}.`);
  if (!staff.active) {
    throw new ValidationError([{ type: 'value_error', loc, msg: 'Staff member is inactive and cannot be assigned', input: staffId }], 'STAFF_INACTIVE');
  }
}

/** The conversation.updated event of an assignment. */
export async function publishAssignment(sql: Sql, businessId: string, conversationId: string, staffId: string | null): Promise<void> {
  await publishInboxEvent(sql, { businessId, type: 'conversation.updated', conversationId, payload: { change: 'assignment', assigneeId: staffId } });
}

export interface ConversationStatusChange {
  status?: ConversationStatus;
  /** With status `snoozed`: when it opens again by itself; null = until the next inbound message. */
  snoozedUntil?: Date | null;
  pinned?: boolean;
  muted?: boolean;
}

/**
 * A status change's rules: something to change (unless `requireSomething` is false), a snooze end
 * only with status snoozed, and in the future. `loc` prefixes the fields' paths.
 */
export function checkStatusChange(deps: Pick<Deps, 'clock'>, change: ConversationStatusChange, loc: (string | number)[] = [], requireSomething = true): void {
  const issues: FieldIssue[] = [];
  if (requireSomething && change.status === undefined && change.pinned === undefined && change.muted === undefined) {
    issues.push({ type: 'missing', loc: [...loc, 'status'], msg: 'Give at least one of status, pinned, muted' });
  }
  if (change.snoozedUntil && change.status !== 'snoozed') {
    issues.push({ type: 'value_error', loc: [...loc, 'snoozedUntil'], msg: 'snoozed_until goes with status "snoozed"', input: change.snoozedUntil.toISOString() });
  }
  if (change.snoozedUntil && change.snoozedUntil.getTime() <= deps.clock.now().getTime()) {
    issues.push({ type: 'value_error', loc: [...loc, 'snoozedUntil'], msg: 'must be in the future', input: change.snoozedUntil.toISOString() });
  }
  if (issues.length) throw new ValidationError(issues);
}

/** The snooze end a status sets: its own with snoozed, none otherwise. */
export function snoozeEndOf(change: Pick<ConversationStatusChange, 'status' | 'snoozedUntil'>): Date | null {
  return change.status === 'snoozed' ? (change.snoozedUntil ?? null) : null;
}

/**
 * What follows a conversation's status change, in its transaction: the end_snooze job scheduled
 * (or removed) when the status itself changed, and the conversation.updated event.
 */
export async function recordStatusChange(
  sql: Sql,
  businessId: string,
  conversation: { id: string; status: ConversationStatus; snoozedUntil: Date | null; pinned: boolean; muted: boolean },
  statusChanged: boolean,
): Promise<void> {
  // A snooze with an end time ends by itself: the end_snooze job, committed with the snooze.
  if (statusChanged) await scheduleSnoozeEnd(sql, { businessId, conversationId: conversation.id, snoozedUntil: conversation.snoozedUntil });
  await publishInboxEvent(sql, {
    businessId,
    type: 'conversation.updated',
    conversationId: conversation.id,
    payload: {
      change: 'status',
      status: conversation.status,
      snoozedUntil: conversation.snoozedUntil?.toISOString() ?? null,
      pinned: conversation.pinned,
      muted: conversation.muted,
    },
  });
}
