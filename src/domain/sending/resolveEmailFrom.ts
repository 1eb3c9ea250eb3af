export interface EmailFromSources {
  locationEmailFrom: string | null;
  locationEmailFromName: string | null;
  channelDefault: string | null;
}

/** The From of an email: the location's address (with its display name), else the configured default; null when neither exists. */
export function resolveEmailFrom(s: EmailFromSources): string | null {
  if (s.locationEmailFrom) {
    const name = s.locationEmailFromName?.replace(/["<>\r\n]/g, '').trim();
    return name ? `"${name}" <${s.locationEmailFrom}>` : s.locationEmailFrom;
  }
  return s.channelDefault;
}
