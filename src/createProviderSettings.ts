// Settings of the provider webhooks, delivery reconciliation and Twilio Voice, built from the
// configuration (a piece of createDeps kept apart: it is the only place these secrets meet the SDKs).
import type { Config } from './config.js';
import { createReceivedEmailFetcher } from './channels/resend/fetchReceivedEmail.js';
import { createTwilioMessageFetcher } from './channels/twilio/fetchTwilioMessage.js';
import { voiceTokenSigner } from './channels/twilio/signVoiceToken.js';
import type { VoiceSettings, WebhookSettings } from './domain/deps.js';

export type ProviderSettingsOptions = Partial<Pick<Config, 'twilio' | 'resend' | 'webhooks' | 'voice'>> & { publicBaseUrl: string };

/**
 * Sandbox voice tokens are signed with these values: the browser SDK gets a well-formed token whose
 * every field says "sandbox", and Twilio refuses it. Nothing secret: they only keep development
 * working without an API key.
 */
export const SANDBOX_VOICE = {
  accountSid: 'ACsandbox0000000000000000000000000',
  apiKeySid: 'SKsandbox0000000000000000000000000',
  apiKeySecret: 'omega-sandbox-voice-key-not-a-secret',
  twimlAppSid: 'APsandbox0000000000000000000000000',
} as const;

export function createWebhookSettings(options: ProviderSettingsOptions): WebhookSettings {
  return {
    publicBaseUrl: options.publicBaseUrl,
    twilioAuthToken: options.twilio?.authToken ?? null,
    resendWebhookSecret: options.webhooks?.resendWebhookSecret ?? options.resend?.webhookSecret ?? null,
    fetchReceivedEmail: options.resend ? createReceivedEmailFetcher({ apiKey: options.resend.apiKey }) : null,
    fetchTwilioMessage: options.twilio ? createTwilioMessageFetcher(options.twilio) : null,
    smsReconcileAfterSeconds: options.webhooks?.smsReconcileAfterSeconds ?? 1800,
  };
}

export function createVoiceSettings(options: ProviderSettingsOptions): VoiceSettings {
  const key = options.twilio ? options.voice?.apiKey : undefined;
  const common = { tokenTtlSeconds: options.voice?.tokenTtlSeconds ?? 3600, publicBaseUrl: options.publicBaseUrl };
  if (!key || !options.twilio) return { signToken: voiceTokenSigner(SANDBOX_VOICE), twimlAppSid: SANDBOX_VOICE.twimlAppSid, sandbox: true, ...common };
  const live = { accountSid: options.twilio.accountSid, apiKeySid: key.sid, apiKeySecret: key.secret, twimlAppSid: key.twimlAppSid };
  return { signToken: voiceTokenSigner(live), twimlAppSid: key.twimlAppSid, sandbox: false, ...common };
}
