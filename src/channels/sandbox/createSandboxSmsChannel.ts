import type { SmsChannel } from '../types.js';
import { SANDBOX_SMS } from './sandboxRecipients.js';
import { sandboxSend } from './sandboxSend.js';

export interface SandboxOptions {
  /** How long after the send the sandbox reports delivery (default 2 s). */
  reportAfterMs?: number;
}

/** The SMS provider used without Twilio credentials: nothing leaves the machine. */
export function createSandboxSmsChannel(options: SandboxOptions = {}): SmsChannel {
  const reportAfterMs = options.reportAfterMs ?? 2_000;
  return {
    provider: 'sandbox',
    // Twilio's test "from" number that accepts any message.
    defaultSender: { from: '+15005550006' },
    async send(request) {
      const from = request.sender.from ?? (request.sender.messagingServiceSid ? '+15005550006' : null);
      return sandboxSend('sandbox', SANDBOX_SMS[request.to], request.attempt, from, reportAfterMs, 'SM');
    },
  };
}
