import { insertInboxEvents } from '../../db/sql/insertInboxEvent.js';
import { markMessagesSeen, moveStaffReadPosition } from '../../db/sql/markMessagesSeen.js';
import { actingStaffId, type Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { assertOptionalUuid, assertUuid } from '../ids.js';
import { runTransaction } from '../../db/transaction.js';

export interface MarkMessagesReadInput {
  /** A session moves its own staff member's read position too (actingStaffId). */
  principal: Principal | null;
  businessId: string;
  /** true: mark read; false: mark unread. */
  read: boolean;
  conversationId?: string;
  messageIds?: string[];
  channel?: 'sms' | 'email' | 'voice' | 'note';
  /** Messages created before this time. */
  before?: Date;
  /** Messages created at or after this time. */
  after?: Date;
  /** Also move this staff member's own read position (a session: its own, given or not). */
  staffId?: string | null;
}

export interface MarkMessagesReadResult {
  /** Inbound messages whose business-wide read state changed. */
  updated: number;
  /** With staffId: inbound messages whose state changed for that staff member. */
  staffUpdated: number | null;
  conversations: { conversationId: string; unreadCount: number }[];
}

/**
 * "Update read status of messages using filters": marks the inbound messages in scope read or
 * unread for the business (and for one staff member when given), keeps the unread counts, and
 * publishes a conversation.read event per conversation that changed. With no filter at all it
 * applies to the whole business ("mark everything read").
 */
export async function markMessagesRead(deps: Deps, input: MarkMessagesReadInput): Promise<MarkMessagesReadResult> {
  assertOptionalUuid(input.conversationId, ['conversationId']);
  assertOptionalUuid(input.staffId, ['staffId']);
  const staffId = actingStaffId(input.principal, input.staffId);
  input.messageIds?.forEach((id, i) => assertUuid(id, ['messageIds', i]));
  if (input.messageIds && input.messageIds.length > 1000) {
    throw new ValidationError([{ type: 'too_long', loc: ['messageIds'], msg: 'at most 1000 message ids per call' }]);
  }
  if (input.before && input.after && input.after >= input.before) {
    throw new ValidationError([{ type: 'value_error', loc: ['after'], msg: 'must be earlier than before' }]);
  }
  const scope = {
    businessId: input.businessId,
    ...(input.conversationId ? { conversationId: input.conversationId } : {}),
    ...(input.messageIds ? { messageIds: input.messageIds } : {}),
    ...(input.channel ? { channel: input.channel } : {}),
    ...(input.before ? { before: input.before } : {}),
    ...(input.after ? { after: input.after } : {}),
  };
  return runTransaction(deps, async (tx) => {
    if (input.conversationId) {
      const exists = await tx.prisma.conversation.count({ where: { id: input.conversationId, businessId: input.businessId } });
      if (!exists) throw new NotFoundError('CONVERSATION_NOT_FOUND', `No conversation ${input.conversationId} in business ${JSON.stringify(input.businessId)}.`);
    }
    if (staffId) {
      const exists = await tx.prisma.staff.count({ where: { id: staffId, businessId: input.businessId } });
      if (!exists) throw new NotFoundError('STAFF_NOT_FOUND', `No staff member ${staffId} in business ${JSON.stringify(input.businessId)}.`);
    }
    const sql = tx.sql;
    const business = await markMessagesSeen(sql, scope, input.read);
    const staff = staffId ? await moveStaffReadPosition(sql, scope, staffId, input.read) : null;
    const changed = new Map<string, { unreadCount: number; staffUnreadCount?: number }>();
    for (const row of business) if (row.changed > 0) changed.set(row.conversation_id, { unreadCount: row.unread_count });
    for (const row of staff ?? []) {
      if (row.changed === 0) continue;
      const entry = changed.get(row.conversation_id);
      if (entry) entry.staffUnreadCount = row.unread_count;
      else changed.set(row.conversation_id, { unreadCount: -1, staffUnreadCount: row.unread_count });
    }
    await insertInboxEvents(
      sql,
      input.businessId,
      [...changed].map(([conversationId, c]) => ({
        type: 'conversation.read',
        conversationId,
        payload: { read: input.read, ...(c.unreadCount >= 0 ? { unreadCount: c.unreadCount } : {}), ...(staffId ? { staffId: staffId, staffUnreadCount: c.staffUnreadCount ?? null } : {}) },
      })),
    );
    return {
      updated: business.reduce((n, r) => n + r.changed, 0),
      staffUpdated: staff ? staff.reduce((n, r) => n + r.changed, 0) : null,
      conversations: business.map((r) => ({ conversationId: r.conversation_id, unreadCount: r.unread_count })),
    };
  });
}
