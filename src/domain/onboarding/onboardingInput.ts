// What a caller sends to onboard a business (REST and GraphQL map onto this). Types only.
import type { QuietHours } from '../businesses/businessSettings.js';

export interface OnboardBusinessInput {
  /** The caller's own id for the business; it becomes the business's id. */
  businessId: string;
  name: string;
  /** IANA time zone; default UTC when the business is created, unchanged later when omitted. */
  timeZone?: string | null;
  settings?: OnboardSettingsInput | null;
  /** Upserted by externalId; locations not named stay as they are (onboarding never deletes). */
  locations?: OnboardLocationInput[] | null;
  /** Upserted by externalId. */
  staff?: OnboardStaffInput[] | null;
  /** Imported in the background, upserted by externalId. */
  clients?: OnboardClientInput[] | null;
  /** Issue a business API key. Default: on the first onboarding only. */
  issueApiKey?: boolean | null;
}

export interface OnboardSettingsInput {
  /** Omitted: unchanged; null: none. */
  quietHours?: QuietHours | null;
  /** externalId of one of the business's locations. Omitted: unchanged; null: none. */
  defaultSenderLocationExternalId?: string | null;
}

export interface OnboardLocationInput {
  externalId: string;
  name: string;
  timeZone?: string | null;
  address?: string | null;
  smsSender?: SmsSenderInput | null;
  emailSender?: EmailSenderInput | null;
}

/**
 * How a location gets its SMS sender:
 * - existing_number: a number already in our Twilio account (phoneNumber); its webhooks are pointed at us;
 * - messaging_service: a Twilio messaging service (messagingServiceSid, MG…), optionally with the
 *   number it sends from (phoneNumber); its inbound and status webhooks are pointed at us;
 * - provision: buy a local number in areaCode (country default US).
 */
export interface SmsSenderInput {
  type: 'existing_number' | 'messaging_service' | 'provision';
  phoneNumber?: string | null;
  messagingServiceSid?: string | null;
  areaCode?: string | null;
  country?: string | null;
}

export interface EmailSenderInput {
  fromAddress: string;
  fromName?: string | null;
}

export interface OnboardStaffInput {
  externalId: string;
  firstName: string;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  role?: string | null;
  active?: boolean | null;
  /** externalIds of the locations they work at (of this request or onboarded earlier). */
  locationExternalIds?: string[] | null;
}

export interface OnboardClientInput {
  externalId: string;
  firstName?: string | null;
  lastName?: string | null;
  /** Any common format; stored as E.164. `phone` is added in front of `phones`. */
  phone?: string | null;
  phones?: string[] | null;
  email?: string | null;
  emails?: string[] | null;
  homeLocationExternalId?: string | null;
  type?: string | null;
  groups?: string[] | null;
}
