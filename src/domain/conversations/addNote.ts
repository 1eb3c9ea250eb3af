import type { Message } from '../../generated/prisma/client.js';
import { actingStaffId, type Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { assertOptionalUuid, assertUuid } from '../ids.js';
import { appendMessage } from '../messages/appendMessage.js';
import { runTransaction } from '../../db/transaction.js';

export const NOTE_MAX_LENGTH = 10_000;

/**
 * An internal note in a conversation: a message of channel `note`, never sent to the client.
 * Mentions are the staff named in `mentionStaffIds` plus those written as @first or @first.last
 * (case-insensitive) in the text; all must be staff of the business. The author is the caller's
 * staff member (actingStaffId): a session's own, or the one an API key names.
 */
export async function addNote(
  deps: Deps,
  input: { principal: Principal | null; businessId: string; conversationId: string; body: string; authorStaffId?: string | null; mentionStaffIds?: string[] },
): Promise<Message> {
  assertUuid(input.conversationId, ['conversationId']);
  assertOptionalUuid(input.authorStaffId, ['authorStaffId']);
  const authorStaffId = actingStaffId(input.principal, input.authorStaffId);
  (input.mentionStaffIds ?? []).forEach((id, i) => assertUuid(id, ['mentionStaffIds', i]));
  const body = input.body.trim();
  if (!body || body.length > NOTE_MAX_LENGTH) {
    throw new ValidationError([{ type: 'value_error', loc: ['body'], msg: `must be 1 to ${NOTE_MAX_LENGTH} characters`, input: input.body }]);
  }
  return runTransaction(deps, async (tx) => {
    const conversation = await tx.prisma.conversation.findFirst({ where: { id: input.conversationId, businessId: input.businessId } });
    if (!conversation) throw new NotFoundError('CONVERSATION_NOT_FOUND', `No conversation ${input.conversationId} in business ${JSON.stringify(input.businessId)}.`);
    const staff = await tx.prisma.staff.findMany({ where: { businessId: input.businessId }, select: { id: true, firstName: true, lastName: true } });
    const known = new Set(staff.map((s) => s.id));
    for (const id of [authorStaffId, ...(input.mentionStaffIds ?? [])]) {
      if (id && !known.has(id)) throw new NotFoundError('STAFF_NOT_FOUND', `No staff member ${id} in business ${JSON.stringify(input.businessId)}.`);
    }
    const handles = new Set([...body.matchAll(/(?:^|[^\w@])@([\p{L}\d_-]+(?:\.[\p{L}\d_-]+)?)/gu)].map((m) => m[1]!.toLowerCase()));
    const mentioned = new Set(input.mentionStaffIds ?? []);
    for (const s of staff) {
      const first = s.firstName.toLowerCase();
      const full = s.lastName ? `${first}.${s.lastName.toLowerCase()}` : first;
      if (handles.has(first) || handles.has(full)) mentioned.add(s.id);
    }
    return appendMessage(tx, {
      businessId: input.businessId,
      conversationId: conversation.id,
      clientId: conversation.clientId,
      locationId: conversation.locationId,
      channel: 'note',
      direction: 'internal',
      status: 'recorded',
      body,
      authorStaffId,
      mentionStaffIds: [...mentioned],
    });
  });
}
