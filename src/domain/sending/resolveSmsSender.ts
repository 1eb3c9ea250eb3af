import type { SmsSender } from '../../channels/types.js';

export interface SmsSenderSources {
  locationMessagingServiceSid: string | null;
  locationPhoneNumber: string | null;
  channelDefault: SmsSender | null;
}

/**
 * Who an SMS comes from: the location's messaging service, else the location's number, else the
 * configured default (TWILIO_MESSAGING_SERVICE_SID / TWILIO_FROM_NUMBER; the sandbox has its own).
 * null: no sender at all, and the send cannot happen.
 */
export function resolveSmsSender(s: SmsSenderSources): SmsSender | null {
  if (s.locationMessagingServiceSid) return { messagingServiceSid: s.locationMessagingServiceSid, from: s.locationPhoneNumber };
  if (s.locationPhoneNumber) return { from: s.locationPhoneNumber };
  if (s.channelDefault?.messagingServiceSid || s.channelDefault?.from) return s.channelDefault;
  return null;
}
