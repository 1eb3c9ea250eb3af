import twilio from 'twilio';
import { createTwilioHttpClient } from './createTwilioHttpClient.js';

/** An account's credentials, and how to reach Twilio's API: HTTP_PROXY, TWILIO_CA_BUNDLE and OMEGA_TWILIO_API_BASE_URL (config). */
export interface TwilioAccess {
  accountSid: string;
  authToken: string;
  proxyUrl?: string | undefined;
  ca?: Buffer | undefined;
  /** Every Twilio API request (api.twilio.com, messaging.twilio.com, ...) goes to this origin instead: a fake Twilio. */
  apiBaseUrl?: string | undefined;
}

/**
 * A Twilio REST client on Omega's transport (createTwilioHttpClient), with the proxy, CA bundle and
 * API base URL of `access`, for every use of Twilio's API (sends, the lookup after an interrupted
 * send, status reconciliation, number provisioning). No automatic retries: graphile-worker and
 * onboarding steps own retries and their backoff.
 */
export function createTwilioClient(access: TwilioAccess, network: { timeoutMs: number }) {
  return twilio(access.accountSid, access.authToken, {
    autoRetry: false,
    httpClient: createTwilioHttpClient({
      timeoutMs: network.timeoutMs,
      ...(access.apiBaseUrl ? { apiBaseUrl: access.apiBaseUrl } : {}),
      ...(access.proxyUrl ? { proxyUrl: access.proxyUrl } : {}),
      ...(access.ca ? { ca: access.ca } : {}),
    }),
  });
}
