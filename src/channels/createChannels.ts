import type { Config } from '../config.js';
import { createResendEmailChannel } from './resend/createResendEmailChannel.js';
import { createSandboxEmailChannel } from './sandbox/createSandboxEmailChannel.js';
import { createSandboxSmsChannel } from './sandbox/createSandboxSmsChannel.js';
import type { SandboxOutbox } from './sandbox/sandboxOutbox.js';
import { createTwilioSmsChannel } from './twilio/createTwilioSmsChannel.js';
import type { Channels } from './types.js';

export type ChannelConfig = Partial<Pick<Config, 'publicBaseUrl' | 'twilio' | 'resend' | 'sending'>>;

/**
 * Live Twilio / Resend when their credentials are configured, the local sandbox otherwise (each on
 * its own). `sandboxOutbox`: where the sandbox SMS provider keeps what it accepted (createDeps: the
 * database; unset: in memory).
 */
export function createChannels(config: ChannelConfig, state: { sandboxOutbox?: SandboxOutbox } = {}): Channels {
  const sending = config.sending;
  const sandbox = { reportAfterMs: sending?.sandboxReportDelayMs };
  const smsSender = sending?.messagingServiceSid || sending?.smsFrom ? { messagingServiceSid: sending.messagingServiceSid ?? null, from: sending.smsFrom ?? null } : null;
  return {
    sms: config.twilio
      ? createTwilioSmsChannel({ ...config.twilio, publicBaseUrl: config.publicBaseUrl ?? 'http://127.0.0.1:4000', defaultSender: smsSender })
      : createSandboxSmsChannel({ ...sandbox, ...(state.sandboxOutbox ? { outbox: state.sandboxOutbox } : {}) }),
    email: config.resend
      ? createResendEmailChannel({ apiKey: config.resend.apiKey, defaultFrom: sending?.emailFrom ?? null })
      : createSandboxEmailChannel({ ...sandbox, defaultFrom: sending?.emailFrom ?? null }),
  };
}
