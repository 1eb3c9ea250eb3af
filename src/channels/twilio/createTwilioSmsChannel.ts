import twilio from 'twilio';
import type { SmsChannel, SmsSender } from '../types.js';
import { classifyTwilioError } from './classifyTwilioError.js';
import { createTwilioHttpClient } from './createTwilioHttpClient.js';

export interface TwilioSmsOptions {
  accountSid: string;
  authToken: string;
  /** PUBLIC_BASE_URL: status callbacks go to <publicBaseUrl>/twilio/sms/status. */
  publicBaseUrl: string;
  defaultSender: SmsSender | null;
  /** Per-request timeout; a timeout is a transient failure. */
  timeoutMs?: number;
  /**
   * Send API requests to this origin instead of https://api.twilio.com (a local fake Twilio in
   * benchmarks, a proxy). Unset in production.
   */
  apiBaseUrl?: string;
  /**
   * 'omega' (default): createTwilioHttpClient, node:http with one keep-alive pool, about half the
   * CPU per request; it connects directly. 'sdk': the SDK's own transport, which goes through
   * HTTP_PROXY and trusts TWILIO_CA_BUNDLE (config picks it when either is set).
   */
  transport?: 'omega' | 'sdk';
}

/** Live SMS through Twilio's Programmable Messaging API (messages.create). */
export function createTwilioSmsChannel(options: TwilioSmsOptions): SmsChannel {
  const timeout = options.timeoutMs ?? 15_000;
  // One client (and one keep-alive connection pool) per channel, built once: every send reuses it.
  const client = twilio(options.accountSid, options.authToken, {
    autoRetry: false, // graphile-worker owns retries and their backoff
    ...(options.transport === 'sdk' && !options.apiBaseUrl
      ? { timeout }
      : { httpClient: createTwilioHttpClient({ timeoutMs: timeout, ...(options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {}) }) }),
  });
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
        return classifyTwilioError(error);
      }
    },
  };
}
