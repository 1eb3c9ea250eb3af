import { insertOutboundMessages, type NewOutboundMessage } from '../../db/sql/insertOutboundMessages.js';
import type { NewMessage } from '../../db/sql/insertMessage.js';
import type { Tx } from '../../db/tx.js';
import { appendMessage, messagePreview } from './appendMessage.js';

/**
 * appendMessage for the outbound SMS and email of a send batch (queueBatch), set-based: the
 * messages go in waves in which each conversation appears once (a batch rarely holds two messages
 * for one conversation: two requests to the same recipient), one statement per wave, in order, so
 * a 500-recipient request costs one round trip instead of 500. The rows are appendMessage's for an
 * outbound message (test/sending/bulkAppend.test.ts). Anything else (inbound, notes, calls, a
 * message without a drawn id) goes through appendMessage one by one.
 */
export async function appendOutboundMessages(tx: Tx, businessId: string, messages: NewMessage[]): Promise<void> {
  if (messages.length <= 1 || !messages.every((m) => m.direction === 'outbound' && (m.channel === 'sms' || m.channel === 'email') && m.id && m.businessId === businessId)) {
    for (const m of messages) await appendMessage(tx, m);
    return;
  }
  let pending = messages;
  while (pending.length > 0) {
    const seen = new Set<string>();
    const wave: NewOutboundMessage[] = [];
    const later: NewMessage[] = [];
    const now = new Date();
    for (const m of pending) {
      if (seen.has(m.conversationId)) {
        later.push(m);
        continue;
      }
      seen.add(m.conversationId);
      wave.push({ ...m, id: m.id!, channel: m.channel as 'sms' | 'email', createdAt: m.createdAt ?? now, preview: messagePreview(m) });
    }
    await insertOutboundMessages(tx.sql, businessId, wave, now);
    pending = later;
  }
}
