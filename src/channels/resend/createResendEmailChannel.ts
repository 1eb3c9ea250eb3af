import { Resend } from 'resend';
import type { EmailChannel } from '../types.js';
import { classifyResendError } from './classifyResendError.js';

export interface ResendEmailOptions {
  apiKey: string;
  defaultFrom: string | null;
  timeoutMs?: number;
  /** Another API origin (a proxy or a local fake); unset in production. */
  apiBaseUrl?: string;
}

/**
 * Live email through Resend. Every send carries the idempotency key `email/<messageId>`: a send
 * repeated after a crash (within Resend's 24 h window) returns the first email's id instead of
 * sending a second email.
 */
export function createResendEmailChannel(options: ResendEmailOptions): EmailChannel {
  const resend = new Resend(options.apiKey, options.apiBaseUrl ? { baseUrl: options.apiBaseUrl.replace(/\/+$/, '') } : undefined);
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    provider: 'resend',
    defaultFrom: options.defaultFrom,
    async send(request) {
      const content = request.html !== null ? { html: request.html, ...(request.text !== null ? { text: request.text } : {}) } : { text: request.text ?? '' };
      try {
        const { data, error } = await resend.emails.send(
          {
            from: request.from,
            to: [request.to],
            subject: request.subject,
            ...content,
            ...(request.replyTo ? { replyTo: request.replyTo } : {}),
            ...(request.headers && Object.keys(request.headers).length ? { headers: request.headers } : {}),
            ...(request.tags.length ? { tags: request.tags } : {}),
          },
          { idempotencyKey: `email/${request.messageId}`, signal: AbortSignal.timeout(timeoutMs) },
        );
        if (error || !data) return classifyResendError(error ?? { name: 'application_error', message: 'Resend answered without an email id', statusCode: null });
        return { ok: true, provider: 'resend', providerMessageId: data.id, providerStatus: 'sent', from: request.from };
      } catch (err) {
        // The SDK reports errors as values; a throw here is a timeout or a bug: retry.
        return classifyResendError({ name: 'application_error', message: err instanceof Error ? err.message : String(err), statusCode: null });
      }
    },
  };
}
