import type { ProviderSms, SmsChannel, SmsSender } from '../types.js';
import { classifyTwilioError } from './classifyTwilioError.js';
import { createTwilioClient, type TwilioAccess } from './createTwilioClient.js';

export interface TwilioSmsOptions extends TwilioAccess {
  /** PUBLIC_BASE_URL: status callbacks go to <publicBaseUrl>/twilio/sms/status. */
  publicBaseUrl: string;
  defaultSender: SmsSender | null;
  /** Per-request timeout; a timeout is a transient failure. */
  timeoutMs?: number;
}

/**
 * The most messages one check after an interrupted send reads (newest first, 100 a page): messages
 * to one recipient since the day before at most, in a gateway whose recipients are a business's
 * clients. Beyond it, older ones are not seen; the interrupted attempt's message is among the newest.
 */
const LIST_LIMIT = 1_000;

/** How long a message Twilio created may still be missing from its list (SmsChannel.listSettleMs). */
export const TWILIO_LIST_SETTLE_MS = 60_000;

/** Live SMS through Twilio's Programmable Messaging API (messages.create; messages.list for the check after an interrupted send). */
export function createTwilioSmsChannel(options: TwilioSmsOptions): SmsChannel {
  const timeout = options.timeoutMs ?? 15_000;
  // One client (and one keep-alive connection pool) per channel, built once: every send reuses it.
  const client = createTwilioClient(options, { timeoutMs: timeout });
  // The SDK loads its Api module on the first `client.messages`: now, at start, rather than in the
  // first send, whose slowness would bunch the paced sends behind it (README "Pacing").
  void client.messages;
  const viaProxy = Boolean(options.proxyUrl);
  const callbackBase = `${options.publicBaseUrl}/twilio/sms/status`;
  return {
    provider: 'twilio',
    defaultSender: options.defaultSender,
    // A message Twilio still queues has no date_sent and is not listed; a minute covers a long
    // code's usual queue and the list's lag (a longer queue is README's documented limit).
    listSettleMs: TWILIO_LIST_SETTLE_MS,
    async send(request) {
      const sender = request.sender.messagingServiceSid ? { messagingServiceSid: request.sender.messagingServiceSid } : { from: request.sender.from ?? undefined };
      try {
        const message = await client.messages.create({
          to: request.to,
          body: request.body,
          ...sender,
          ...(request.mediaUrls.length ? { mediaUrl: request.mediaUrls } : {}),
          // The message id lets the callback find the message even if it arrives before we have
          // stored Twilio's sid (Twilio can call back before messages.create returns to us); with
          // the business id, a callback needs no lookup at all. The signature covers the URL, so
          // both are as trustworthy as the report itself.
          statusCallback: `${callbackBase}?message_id=${encodeURIComponent(request.messageId)}&business_id=${encodeURIComponent(request.businessId)}`,
        });
        return { ok: true, provider: 'twilio', providerMessageId: message.sid, providerStatus: message.status, from: message.from ?? request.sender.from ?? null };
      } catch (error) {
        return classifyTwilioError(error, { viaProxy });
      }
    },
    async listSent(query) {
      try {
        // DateSent> is "sent on or after that day" (Twilio compares whole UTC days).
        const found = await client.messages.list({ to: query.to, dateSentAfter: query.sentOnOrAfter, pageSize: 100, limit: LIST_LIMIT });
        return { ok: true, messages: found.map(toProviderSms) };
      } catch (error) {
        return classifyTwilioError(error, { viaProxy });
      }
    },
  };
}

function toProviderSms(m: {
  sid: string;
  direction: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string | null;
  numMedia: string | null;
  status: string;
  dateCreated: Date;
}): ProviderSms {
  return {
    providerMessageId: m.sid,
    direction: m.direction.startsWith('outbound') ? 'outbound' : 'inbound',
    to: m.to,
    from: m.from ?? null,
    messagingServiceSid: m.messagingServiceSid ?? null,
    body: m.body ?? '',
    numMedia: Number(m.numMedia ?? 0) || 0,
    status: m.status,
    // The SDK leaves a date it cannot read as the string: an invalid Date then, which matches nothing.
    createdAt: m.dateCreated instanceof Date ? m.dateCreated : new Date(NaN),
  };
}
