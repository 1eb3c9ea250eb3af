import twilio from 'twilio';
import { createTwilioHttpClient } from './createTwilioHttpClient.js';

/** An account's credentials, and how to reach Twilio's API: HTTP_PROXY and TWILIO_CA_BUNDLE (config). */
export interface TwilioAccess {
  accountSid: string;
  authToken: string;
  proxyUrl?: string | undefined;
  ca?: Buffer | undefined;
}

/**
 * A Twilio REST client on Omega's transport (createTwilioHttpClient), with the proxy and CA bundle
 * of `access`, for every use of Twilio's API (sends, status reconciliation, number provisioning).
 * No automatic retries: graphile-worker and onboarding steps own retries and their backoff.
 */
export function createTwilioClient(access: TwilioAccess, network: { timeoutMs: number; apiBaseUrl?: string | undefined }) {
  return twilio(access.accountSid, access.authToken, {
    autoRetry: false,
    httpClient: createTwilioHttpClient({
      timeoutMs: network.timeoutMs,
      ...(network.apiBaseUrl ? { apiBaseUrl: network.apiBaseUrl } : {}),
      ...(access.proxyUrl ? { proxyUrl: access.proxyUrl } : {}),
      ...(access.ca ? { ca: access.ca } : {}),
    }),
  });
}
