import { createResendDomains } from './resendDomains.js';
import { createSandboxDomains } from './sandboxDomains.js';
import { createSandboxNumbers } from './sandboxNumbers.js';
import { createTwilioNumbers } from './twilioNumbers.js';
import type { TwilioAccess } from '../channels/twilio/createTwilioClient.js';
import type { Provisioning } from './types.js';

export interface ProvisioningOptions {
  /** Base of the webhook URLs given to Twilio. */
  publicBaseUrl: string;
  /** Unset: sandbox numbers. */
  twilio?: TwilioAccess | undefined;
  /** Unset: sandbox domains. */
  resend?: { apiKey: string } | undefined;
}

/** Live adapters where credentials are configured, sandbox ones elsewhere. */
export function createProvisioning(options: ProvisioningOptions): Provisioning {
  return {
    numbers: options.twilio ? createTwilioNumbers(options.twilio, options.publicBaseUrl) : createSandboxNumbers(options.publicBaseUrl),
    emailDomains: options.resend ? createResendDomains(options.resend.apiKey) : createSandboxDomains(),
  };
}
