import type { ProviderSms, SmsSender } from '../../channels/types.js';

/**
 * How much earlier than the interrupted attempt's claim (our database's clock) the provider's
 * creation time (its own clock) may read and still be that attempt's message. The claim commits
 * before the provider is called, so the message is created after it; but Twilio's date_created
 * has whole seconds (up to 1 s early), and the two clocks differ by their skew: NTP keeps servers
 * within milliseconds, and a minute covers a clock badly off. The cost of a wide margin: a message
 * identical in recipient, sender, body and media count, sent in the minute before the claim and
 * not recorded on another Omega message, could be taken for this one (and then not sent again).
 */
export const CLOCK_MARGIN_MS = 60_000;

/** The send whose attempt was interrupted: what it would have given the provider, and when it was claimed. */
export interface InterruptedSms {
  to: string;
  sender: SmsSender;
  body: string;
  numMedia: number;
  /** messages.claimed_at: when the interrupted attempt was claimed. */
  claimedAt: Date;
}

/** The earliest creation time a message of the interrupted attempt can show (CLOCK_MARGIN_MS before its claim). */
export function interruptedSince(claimedAt: Date): Date {
  return new Date(claimedAt.getTime() - CLOCK_MARGIN_MS);
}

/** Midnight UTC of a time's day: what Twilio's DateSent filter compares. */
export function utcDay(time: Date): Date {
  return new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate()));
}

/**
 * Of the provider's messages, those that can be the interrupted attempt's, earliest first: outbound,
 * to the same recipient, from the same sender (the number; for a messaging service, which picks the
 * number, the service), with the same body and number of media, created no earlier than
 * interruptedSince(claimedAt).
 */
export function matchInterruptedSms(candidates: readonly ProviderSms[], sms: InterruptedSms): ProviderSms[] {
  const since = interruptedSince(sms.claimedAt).getTime();
  const sameSender = (c: ProviderSms) => (sms.sender.messagingServiceSid ? c.messagingServiceSid === sms.sender.messagingServiceSid : Boolean(sms.sender.from) && c.from === sms.sender.from);
  return candidates
    .filter((c) => c.direction === 'outbound' && c.to === sms.to && sameSender(c) && c.body === sms.body && c.numMedia === sms.numMedia && c.createdAt.getTime() >= since)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.providerMessageId < b.providerMessageId ? -1 : 1));
}
