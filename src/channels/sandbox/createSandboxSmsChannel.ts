import type { ProviderSms, SmsChannel } from '../types.js';
import { createMemorySandboxOutbox, type SandboxOutbox } from './sandboxOutbox.js';
import { SANDBOX_SMS } from './sandboxRecipients.js';
import { sandboxReport, sandboxSend } from './sandboxSend.js';

export interface SandboxOptions {
  /** How long after the send the sandbox reports delivery (default 2 s). */
  reportAfterMs?: number;
}

/** Twilio's test "from" number that accepts any message; a messaging service "picks" it too. */
const SANDBOX_FROM = '+15005550006';

/**
 * The SMS provider used without Twilio credentials: nothing leaves the machine. What it accepts is
 * kept in `outbox` before it answers, so it lists its messages like Twilio's account does (default:
 * in memory, for callers without a database; createDeps gives it the database's).
 */
export function createSandboxSmsChannel(options: SandboxOptions & { outbox?: SandboxOutbox } = {}): SmsChannel {
  const reportAfterMs = options.reportAfterMs ?? 2_000;
  const outbox = options.outbox ?? createMemorySandboxOutbox();
  return {
    provider: 'sandbox',
    defaultSender: { from: SANDBOX_FROM },
    listSettleMs: 0, // it keeps each message before it answers
    async send(request) {
      const from = request.sender.from ?? (request.sender.messagingServiceSid ? SANDBOX_FROM : null);
      const result = sandboxSend('sandbox', SANDBOX_SMS[request.to], request.attempt, from, reportAfterMs, 'SM');
      if (!result.ok) return result;
      try {
        await outbox.add({
          sid: result.providerMessageId,
          businessId: request.businessId,
          to: request.to,
          from,
          messagingServiceSid: request.sender.messagingServiceSid ?? null,
          body: request.body,
          numMedia: request.mediaUrls.length,
        });
      } catch (error) {
        // Not kept, so not accepted: as a provider that could not take the message.
        return { ok: false, kind: 'transient', provider: 'sandbox', code: 'SANDBOX_UNAVAILABLE', message: `The sandbox could not keep the message: ${(error as Error).message}`, httpStatus: null };
      }
      return result;
    },
    async listSent(query) {
      try {
        const kept = await outbox.list({ businessId: query.businessId, to: query.to, since: query.sentOnOrAfter });
        return {
          ok: true,
          messages: kept.map((s): ProviderSms => ({
            providerMessageId: s.sid,
            direction: 'outbound',
            to: s.to,
            from: s.from,
            messagingServiceSid: s.messagingServiceSid,
            body: s.body,
            numMedia: s.numMedia,
            status: 'sent',
            createdAt: s.createdAt,
            report: sandboxReport(SANDBOX_SMS[s.to], reportAfterMs, 'SM'),
          })),
        };
      } catch (error) {
        return { ok: false, kind: 'transient', provider: 'sandbox', code: 'SANDBOX_UNAVAILABLE', message: `The sandbox could not list its messages: ${(error as Error).message}`, httpStatus: null };
      }
    },
  };
}
