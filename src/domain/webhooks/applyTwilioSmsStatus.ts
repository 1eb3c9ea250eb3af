import type { Deps } from '../deps.js';
import { DomainError } from '../errors.js';
import { isUuid } from '../ids.js';
import { toMessageStatus } from '../sending/toMessageStatus.js';
import { updateDeliveryStatus, type DeliveryStatusResult } from '../sending/updateDeliveryStatus.js';
import { findReportedMessage } from './findReportedMessage.js';
import { resendQueueOverflow } from '../sending/pacing/resendQueueOverflow.js';

export interface TwilioSmsStatus {
  messageSid: string;
  /** MessageStatus (SmsStatus on older callbacks): queued, sending, sent, delivered, undelivered, failed, read... */
  status: string;
  errorCode: string | null;
  /** Omega's message id from the callback URL (?message_id=), set by the send worker: finds a message whose sid is not stored yet. */
  messageId: string | null;
  /** The message's business from the callback URL (?business_id=, set by the send worker since 2026-11-28). */
  businessId: string | null;
  from: string | null;
  payload: Record<string, unknown>;
}

export type TwilioSmsStatusResult =
  ({ outcome: 'applied' | 'unchanged' | 'duplicate' } & DeliveryStatusResult) | { outcome: 'unknown_status' | 'unknown_message' | 'not_outbound'; messageId: string | null };

// The error texts Twilio's status callbacks leave out (https://www.twilio.com/docs/api/errors).
const TWILIO_ERRORS: Record<string, string> = {
  '21610': 'Attempt to send to unsubscribed recipient (the recipient replied STOP)',
  '30001': 'Queue overflow',
  '30002': 'Account suspended',
  '30003': 'Unreachable destination handset',
  '30004': 'Message blocked',
  '30005': 'Unknown destination handset',
  '30006': 'Landline or unreachable carrier',
  '30007': 'Message filtered by the carrier',
  '30008': 'Unknown error',
  '30034': 'Message from an unregistered number (A2P 10DLC)',
};

/**
 * A Twilio delivery report (status callback) applied through the forward-only status machine
 * (updateDeliveryStatus): `<MessageSid>:<MessageStatus>` is the report's id, so a repeated callback
 * records nothing, and a late one (sent after delivered) is kept as an event without moving the
 * status. Error 21610 opts the client out of SMS.
 */
export async function applyTwilioSmsStatus(deps: Deps, report: TwilioSmsStatus): Promise<TwilioSmsStatusResult> {
  const reported = toMessageStatus(report.status, 'sms', report.errorCode);
  if (!reported) return { outcome: 'unknown_status', messageId: null };
  // The callback URL we gave Twilio names the message and its business (and the signature covers
  // the URL), so the report goes straight to its business's group commit; callbacks of messages
  // sent before the URL carried the business are looked up.
  const named = report.messageId && report.businessId && isUuid(report.messageId) ? { messageId: report.messageId.toLowerCase(), businessId: report.businessId } : null;
  const target = named ?? (await findReportedMessage(deps, { messageId: report.messageId, provider: 'twilio', providerMessageId: report.messageSid }));
  if (!target) return { outcome: 'unknown_message', messageId: null };
  try {
    const result = await updateDeliveryStatus(deps, {
      businessId: target.businessId,
      channel: 'sms',
      messageId: target.messageId,
      provider: 'twilio',
      providerMessageId: report.messageSid,
      status: reported.status,
      consent: reported.consent ?? null,
      consentReason: reported.consentReason ?? null,
      providerStatus: report.status,
      errorCode: report.errorCode,
      errorMessage: report.errorCode ? (TWILIO_ERRORS[report.errorCode] ?? `Twilio error ${report.errorCode}`) : null,
      providerEventId: `${report.messageSid}:${report.status.toLowerCase()}`,
      source: 'webhook',
      fromAddress: report.from,
      payload: { params: report.payload },
    });
    if (result.status === 'undelivered' && report.errorCode === '30001') {
      // Queue overflow: it never left Twilio. Slow the sender down and send it again (README "Pacing").
      // Also for a report seen before (Twilio's replay after this process died between the status
      // and the re-send): the re-send is guarded by the message's status and its count.
      await resendQueueOverflow(deps, { messageId: result.messageId, errorCode: '30001', errorMessage: TWILIO_ERRORS['30001']! });
    }
    return { outcome: result.duplicate ? 'duplicate' : result.changed ? 'applied' : 'unchanged', ...result };
  } catch (err) {
    if (err instanceof DomainError && err.code === 'MESSAGE_NOT_FOUND' && named) {
      // The URL's ids match no SMS (a message since deleted, say): what the sid says.
      return applyTwilioSmsStatus(deps, { ...report, businessId: null });
    }
    // Not an SMS (the sid of a voice call's message), or an inbound message.
    if (err instanceof DomainError && (err.code === 'MESSAGE_NOT_FOUND' || err.code === 'MESSAGE_NOT_OUTBOUND')) return { outcome: 'not_outbound', messageId: target.messageId };
    throw err;
  }
}
