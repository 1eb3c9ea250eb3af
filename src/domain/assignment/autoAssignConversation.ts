import { assignNextStaff, lockAutoAssignment } from '../../db/sql/autoAssign.js';
import type { Tx } from '../../db/tx.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';

/**
 * Auto-assignment of a conversation that an inbound message just opened (its first) or reopened,
 * while it is unassigned and its location has auto-assignment on; inside that message's
 * transaction. Round-robin over the location's available staff (active, `online`, working there),
 * skipping whoever already holds the location's capacity of open conversations; nobody available
 * leaves it unassigned. Concurrent inbound messages queue on the location's and the staff's row
 * locks, so two at once never overshoot a capacity.
 */
export async function autoAssignConversation(tx: Pick<Tx, 'sql'>, input: { businessId: string; locationId: string; conversationId: string; messageId: string }): Promise<string | null> {
  const locked = await lockAutoAssignment(tx.sql, { businessId: input.businessId, locationId: input.locationId });
  if (!locked || locked.staffIds.length === 0) return null;
  const staffId = await assignNextStaff(tx.sql, { ...input, ...locked });
  if (!staffId) return null;
  await publishInboxEvent(tx.sql, {
    businessId: input.businessId,
    type: 'conversation.updated',
    conversationId: input.conversationId,
    payload: { change: 'assignment', assigneeId: staffId, reason: 'auto_assigned' },
  });
  return staffId;
}
