// What onboarding needs from the providers: a phone number for each location (Twilio) and a
// registered sending domain (Resend). Live adapters call the SDKs; sandbox adapters answer locally
// with the same shapes, so onboarding runs the same code path with or without credentials.

/** Where Twilio calls us for a location's number: inbound SMS, inbound calls, call status. */
export interface NumberWebhooks {
  smsUrl: string;
  voiceUrl: string;
  statusCallback: string;
}

export interface AccountNumber {
  /** Twilio's id of the number in our account (PN...). */
  sid: string;
  /** E.164. */
  phoneNumber: string;
  friendlyName: string | null;
  webhooks: NumberWebhooks;
}

export interface AttachedMessagingService {
  sid: string;
  friendlyName: string | null;
  inboundRequestUrl: string;
  statusCallback: string;
}

export interface NumberProvisioner {
  readonly mode: 'live' | 'sandbox';
  /** A number of our account, by its E.164 value; null when the account has no such number. */
  findNumber(phoneNumber: string): Promise<AccountNumber | null>;
  /** A number of our account by its friendly name (our idempotency marker for bought numbers). */
  findNumberByName(friendlyName: string): Promise<AccountNumber | null>;
  /** Local numbers on sale in an area code, best first. */
  searchNumbers(input: { country: string; areaCode: string; limit: number }): Promise<string[]>;
  /** Buys a number and points its webhooks at us. */
  buyNumber(input: { phoneNumber: string; friendlyName: string }): Promise<AccountNumber>;
  /** Points an account number's webhooks at us. */
  configureNumber(number: AccountNumber): Promise<AccountNumber>;
  /** Checks a messaging service exists and points its inbound and status webhooks at us. */
  attachMessagingService(sid: string): Promise<AttachedMessagingService>;
}

/** A sending domain as the email provider reports it. */
export interface EmailDomainState {
  providerDomainId: string;
  domain: string;
  /** The provider's words: not_started, pending, verified, partially_verified, partially_failed, failed. */
  status: string;
  /** DNS records to publish: [{ record, type, name, value, status, ... }]. */
  records: unknown[];
  region: string | null;
}

export interface EmailDomainRegistrar {
  readonly mode: 'live' | 'sandbox';
  /** Registers the domain (or finds it when the account already has it) and starts verification. */
  register(domain: string): Promise<EmailDomainState>;
  /** Reads the current verification state, asking the provider to check again when not verified. */
  refresh(providerDomainId: string): Promise<EmailDomainState>;
}

export interface Provisioning {
  numbers: NumberProvisioner;
  emailDomains: EmailDomainRegistrar;
}

/**
 * A provider call that failed. `retryable` tells a passing condition (rate limit, 5xx, network)
 * from one that retrying cannot fix (bad request, unknown resource, wrong credentials).
 */
export class ProviderError extends Error {
  constructor(
    readonly provider: 'twilio' | 'resend',
    /** Stable code, e.g. TWILIO_21422 or RESEND_VALIDATION_ERROR. */
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProviderError';
  }
}

export function numberWebhooks(publicBaseUrl: string): NumberWebhooks {
  return {
    smsUrl: `${publicBaseUrl}/twilio/sms/incoming`,
    voiceUrl: `${publicBaseUrl}/voice-calls/twiml`,
    // A number's StatusCallback reports *call* status; SMS status callbacks are set per message.
    statusCallback: `${publicBaseUrl}/twilio/voice/status`,
  };
}

export function messagingServiceWebhooks(publicBaseUrl: string): { inboundRequestUrl: string; statusCallback: string } {
  return { inboundRequestUrl: `${publicBaseUrl}/twilio/sms/incoming`, statusCallback: `${publicBaseUrl}/twilio/sms/status` };
}
