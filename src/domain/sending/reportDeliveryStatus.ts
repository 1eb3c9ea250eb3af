import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import { toMessageStatus } from './toMessageStatus.js';
import { updateDeliveryStatus, type DeliveryStatusResult } from './updateDeliveryStatus.js';

/** A delivery status report as a caller of the API makes it: the provider's word, not yet a status. */
export interface ReportDeliveryStatusInput {
  /** Only look in this business (null: any business; service keys). */
  businessId?: string | null;
  /** sms or email (another channel has no delivery statuses); null: any message, words read as SMS ones. */
  channel?: string | null;
  messageId?: string | null;
  provider?: string | null;
  providerMessageId?: string | null;
  /** Omega's status, Twilio's MessageStatus or Resend's event name (REPORTED_STATUS_WORDS). */
  status: string;
  errorCode?: string | null;
  errorMessage?: string | null;
  /** The reporter's id of this report: a known one is skipped. */
  eventId?: string | null;
  occurredAt?: Date | null;
  /** The raw report, kept with the event (any JSON). */
  payload?: unknown;
}

/**
 * A status report from the API (REST's /sms/status and /email/status, GraphQL's
 * updateMessageStatus): the word becomes a neutral status and consent signal (toMessageStatus),
 * and the report goes where every status goes, updateDeliveryStatus.
 */
export async function reportDeliveryStatus(deps: Deps, input: ReportDeliveryStatusInput): Promise<DeliveryStatusResult> {
  const channel = input.channel === 'sms' || input.channel === 'email' ? input.channel : null;
  if (input.channel != null && !channel) throw new ValidationError([{ type: 'enum', loc: ['channel'], msg: 'Only SMS and email have delivery statuses', input: input.channel }]);
  const reported = toMessageStatus(input.status, channel ?? 'sms', input.errorCode);
  if (!reported) throw new ValidationError([{ type: 'enum', loc: ['status'], msg: 'Unknown status word', input: input.status }]);
  return updateDeliveryStatus(deps, {
    businessId: input.businessId,
    channel,
    messageId: input.messageId,
    provider: input.provider,
    providerMessageId: input.providerMessageId,
    status: reported.status,
    consent: reported.consent,
    consentReason: reported.consentReason,
    providerStatus: input.status,
    errorCode: input.errorCode,
    errorMessage: input.errorMessage,
    providerEventId: input.eventId,
    occurredAt: input.occurredAt,
    source: 'api',
    payload: input.payload ? { report: input.payload } : {},
  });
}
