import type { Tx } from '../../db/tx.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';
import type { SmsKeyword } from '../webhooks/smsKeyword.js';

/**
 * The consent effect of an inbound SMS keyword, in the transaction that stores the SMS: STOP opts
 * the client out of SMS, START opts back in, HELP changes nothing. A change shows as a
 * client.updated event in the conversation; a keyword that changes nothing (STOP while already
 * opted out) publishes nothing. Shared by the Twilio webhook and inbound SMS recorded through the
 * API, so a STOP is honoured however it reached Omega. Returns the client's consent afterwards.
 */
export async function applySmsKeyword(
  tx: Tx,
  input: { businessId: string; clientId: string; conversationId: string; messageId: string; keyword: SmsKeyword | null; at: Date },
): Promise<{ changed: boolean; smsOptOut: boolean | null }> {
  const optOut = input.keyword === 'stop' ? true : input.keyword === 'start' ? false : null;
  if (optOut === null) return { changed: false, smsOptOut: null };
  const { count } = await tx.prisma.client.updateMany({
    where: { id: input.clientId, businessId: input.businessId, smsOptOut: !optOut },
    data: { smsOptOut: optOut, smsOptOutAt: optOut ? input.at : null },
  });
  if (count === 0) return { changed: false, smsOptOut: optOut };
  await publishInboxEvent(tx.sql, {
    businessId: input.businessId,
    type: 'client.updated',
    conversationId: input.conversationId,
    messageId: input.messageId,
    payload: { clientId: input.clientId, consent: 'sms_opt_out', smsOptOut: optOut, keyword: input.keyword!.toUpperCase(), reason: input.keyword },
  });
  return { changed: true, smsOptOut: optOut };
}
