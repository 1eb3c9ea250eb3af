// The shape of Business.settings (JSON), read by sending (quiet hours, default sender) and edited
// by onboarding and updateBusinessSettings. Types only; parseBusinessSettings reads it tolerantly.

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
};
