// The shape of Business.settings (JSON), read by sending (quiet hours, default sender) and edited
// by onboarding and updateBusinessSettings. Types only; parseBusinessSettings reads it tolerantly.
import type { PhoneRegion } from '../contacts/normalizePhone.js';

/** A daily window in the business's time zone, "HH:MM" 24-hour; it may wrap midnight (21:00 to 08:00). */
export type QuietHours = {
  start: string;
  end: string;
};

export type BusinessSettings = {
  /** No automated or bulk messages go out inside this window; null: none. */
  quietHours: QuietHours | null;
  /** The location whose SMS number and email sender are used when a message names no location. */
  defaultSenderLocationId: string | null;
  /**
   * The country (ISO 3166 alpha-2, e.g. "GB") whose national format staff write phone numbers in
   * ("07911 123456"); null: the deployment's OMEGA_DEFAULT_PHONE_REGION.
   */
  phoneRegion: PhoneRegion | null;
};
