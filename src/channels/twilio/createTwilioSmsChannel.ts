import type { SmsChannel, SmsSender } from '../types.js';
import { classifyTwilioError } from './classifyTwilioError.js';
import { createTwilioClient, type TwilioAccess } from './createTwilioClient.js';

export interface TwilioSmsOptions extends TwilioAccess {
  /** PUBLIC_BASE_URL: status callbacks go to <publicBaseUrl>/twilio/sms/status. */
  publicBaseUrl: string;
  defaultSender: SmsSender | null;
  /** Per-request timeout; a timeout is a transient failure. */
  timeoutMs?: number;
}

/** Live SMS through Twilio's Programmable Messaging API (messages.create). */
export function createTwilioSmsChannel(options: TwilioSmsOptions): SmsChannel {
  const timeout = options.timeoutMs ?? 15_000;
  // One client (and one keep-alive connection pool) per channel, built once: every send reuses it.
  const client = createTwilioClient(options, { timeoutMs: timeout });
  const viaProxy = Boolean(options.proxyUrl);
  const callbackBase = `${options.publicBaseUrl}/twilio/sms/status`;
  return {
    provider: 'twilio',
    defaultSender: options.defaultSender,
    async send(request) {
      const sender = request.sender.messagingServiceSid
        ? { messagingServiceSid: request.sender.messagingServiceSid }
        : { from: request.sender.from ?? undefined };
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
  };
}
