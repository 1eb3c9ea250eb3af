import type { Message } from '../../generated/prisma/client.js';
import type { Prisma } from '../../db/prisma.js';
import { prismaExecutor } from '../../db/sql/executor.js';
import type { Tx } from '../../db/tx.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';

export type NewMessage = Omit<Prisma.MessageUncheckedCreateInput, 'id' | 'updatedAt'>;

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
 *   unless `seenAt` is given; a snoozed or archived conversation opens again;
 * - outbound: marks the conversation replied (last_outbound_at);
 * - notes change neither the preview nor the unread counts.
 * Late arrivals (older than the current last message) never replace the preview.
 */
export async function appendMessage(tx: Tx, data: NewMessage): Promise<Message> {
  const message = await tx.message.create({ data });
  const at = message.createdAt.toISOString();
  const isNote = message.channel === 'note';
  const unread = message.direction === 'inbound' && message.seenAt === null ? 1 : 0;
  const rows = await tx.$queryRaw<{ status: string; reopened: boolean }[]>`
    UPDATE conversations c SET
      last_message_at        = CASE WHEN ${!isNote} AND (c.last_message_at IS NULL OR c.last_message_at <= ${at}::timestamptz) THEN ${at}::timestamptz ELSE c.last_message_at END,
      last_message_preview   = CASE WHEN ${!isNote} AND (c.last_message_at IS NULL OR c.last_message_at <= ${at}::timestamptz) THEN ${messagePreview(message)} ELSE c.last_message_preview END,
      last_message_channel   = CASE WHEN ${!isNote} AND (c.last_message_at IS NULL OR c.last_message_at <= ${at}::timestamptz) THEN ${message.channel}::channel ELSE c.last_message_channel END,
      last_message_direction = CASE WHEN ${!isNote} AND (c.last_message_at IS NULL OR c.last_message_at <= ${at}::timestamptz) THEN ${message.direction}::direction ELSE c.last_message_direction END,
      last_message_id        = CASE WHEN ${!isNote} AND (c.last_message_at IS NULL OR c.last_message_at <= ${at}::timestamptz) THEN ${message.id}::uuid ELSE c.last_message_id END,
      last_activity_at       = CASE WHEN ${!isNote} AND (c.last_message_at IS NULL OR c.last_message_at <= ${at}::timestamptz) THEN ${at}::timestamptz ELSE c.last_activity_at END,
      last_inbound_at  = CASE WHEN ${message.direction} = 'inbound'  THEN greatest(c.last_inbound_at, ${at}::timestamptz) ELSE c.last_inbound_at END,
      last_outbound_at = CASE WHEN ${message.direction} = 'outbound' THEN greatest(c.last_outbound_at, ${at}::timestamptz) ELSE c.last_outbound_at END,
      unread_count  = c.unread_count + ${unread}::int,
      status        = CASE WHEN ${message.direction} = 'inbound' THEN 'open'::conversation_status ELSE c.status END,
      snoozed_until = CASE WHEN ${message.direction} = 'inbound' THEN NULL ELSE c.snoozed_until END,
      updated_at    = now()
    FROM (SELECT status FROM conversations WHERE id = ${message.conversationId}::uuid FOR UPDATE) AS before
    WHERE c.id = ${message.conversationId}::uuid AND c.business_id = ${message.businessId}
    RETURNING c.status::text AS status, (before.status <> c.status) AS reopened`;
  if (unread) {
    await tx.$executeRaw`
      UPDATE conversation_reads SET unread_count = unread_count + 1, updated_at = now()
       WHERE conversation_id = ${message.conversationId}::uuid`;
  }
  await publishInboxEvent(prismaExecutor(tx), {
    businessId: message.businessId,
    type: 'message.created',
    conversationId: message.conversationId,
    messageId: message.id,
    payload: {
      channel: message.channel,
      direction: message.direction,
      status: message.status,
      conversationStatus: rows[0]?.status ?? null,
      reopened: rows[0]?.reopened ?? false,
    },
  });
  return message;
}
