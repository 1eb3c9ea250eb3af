import type { Message } from '../../generated/prisma/client.js';
import { insertMessage, type NewMessage } from '../../db/sql/insertMessage.js';
import type { Tx } from '../../db/tx.js';
import { autoAssignConversation } from '../assignment/autoAssignConversation.js';

const PREVIEW_LENGTH = 160;

export function messagePreview(m: { body?: string | null; subject?: string | null; channel: string }): string {
  const text = (m.body?.trim() || m.subject?.trim() || (m.channel === 'voice' ? 'Voice call' : '')).replace(/\s+/g, ' ');
  return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text;
}

/**
 * Adds a message to its conversation, inside the caller's transaction: the row, the conversation's
 * summary (last message, unread counts, reopen on inbound) and the inbox event commit together.
 * Every path that stores a message (send, record, inbound webhooks, notes, calls) goes through here.
 *
 * - inbound: unread for the business (+1 on the conversation and on every staff read position)
 *   unless `seenAt` is given; a snoozed or archived conversation opens again; when it opened (its
 *   first inbound message) or reopened an unassigned conversation of a location that auto-assigns,
 *   it is assigned (autoAssignConversation);
 * - outbound: marks the conversation replied (last_outbound_at);
 * - notes change neither the preview nor the unread counts.
 * Late arrivals (older than the current last message) never replace the preview.
 * A unique key already taken (provider message id, idempotency key) fails with the database's
 * unique violation (isUniqueViolation).
 */
export async function appendMessage(tx: Tx, data: NewMessage): Promise<Message> {
  const now = new Date();
  const createdAt = data.createdAt ?? now;
  const unread = data.direction === 'inbound' && !data.seenAt ? 1 : 0;
  const { message, autoAssignLocationId } = await insertMessage(tx.sql, { ...data, createdAt, now, preview: messagePreview(data), unread });
  if (autoAssignLocationId) await autoAssignConversation(tx, { businessId: data.businessId, locationId: autoAssignLocationId, conversationId: data.conversationId, messageId: message.id });
  return message;
}
