import type { EmailChannel } from '../types.js';
import type { SandboxOptions } from './createSandboxSmsChannel.js';
import { SANDBOX_EMAIL } from './sandboxRecipients.js';
import { sandboxSend } from './sandboxSend.js';

/** The email provider used without a Resend key: nothing leaves the machine. */
export function createSandboxEmailChannel(options: SandboxOptions & { defaultFrom?: string | null } = {}): EmailChannel {
  const reportAfterMs = options.reportAfterMs ?? 2_000;
  return {
    provider: 'sandbox',
    defaultFrom: options.defaultFrom ?? 'Omega Sandbox <no-reply@sandbox.omega.local>',
    async send(request) {
      return sandboxSend('sandbox', SANDBOX_EMAIL[request.to.toLowerCase()], request.attempt, request.from, reportAfterMs, 'email');
    },
  };
}
