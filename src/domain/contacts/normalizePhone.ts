// Phone numbers in E.164, by libphonenumber-js (Google's libphonenumber metadata): international
// numbers in any format, and national ones read in a default region (OMEGA_DEFAULT_PHONE_REGION),
// so a salon in London can write "07911 123456" and one in Sydney "0412 345 678".
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export type PhoneRegion = CountryCode;

/** A country code libphonenumber-js has metadata for ("GB", "US", "AU", ...; upper case). */
export function isPhoneRegion(value: string): value is PhoneRegion {
  return /^[A-Z]{2}$/.test(value) && isSupportedCountry(value);
}

/** What a written phone number may hold: digits, "+", spaces and ( ) . - / separators. */
const PHONE_CHARACTERS = /^[+\d\s().\-/]+$/;

/**
 * Whether reading `input` needs a region: written like a national number ("07911 123456"), not
 * "+44…" or "0044…", and not something normalizePhone refuses whatever the region ("call me").
 */
export function isNationalPhone(input: string): boolean {
  return phoneText(input)?.international === false;
}

/** The number as written, without a tel:/sms:/whatsapp: prefix and with "00" read as "+"; null: not a phone number. */
function phoneText(input: string): { text: string; international: boolean } | null {
  const s = input.trim().replace(/^(tel|sms|whatsapp):/i, '');
  if (!PHONE_CHARACTERS.test(s)) return null;
  if (s.startsWith('+')) return { text: s, international: true };
  // "00" starts an international number in most of the world; read it so in every region.
  const digits = s.replace(/\D/g, '');
  return digits.startsWith('00') ? { text: `+${digits.slice(2)}`, international: true } : { text: s, international: false };
}

/**
 * A phone number in E.164 (+15551234567), from the common ways people write one: "+44 7911 123456",
 * "07911 123456" (national, in `region`), "(415) 555-0101", "00 44 7911 123456", "tel:+1…",
 * "whatsapp:+1…". Numbers of a possible length for their country are accepted, not only those in
 * an assigned range, so test ranges (+1 555…) and Twilio's magic numbers (+1 500 555 0006) work.
 * Returns null when it cannot be a phone number.
 */
export function normalizePhone(input: string, region: PhoneRegion): string | null {
  const written = phoneText(input);
  if (!written) return null;
  const phone = parsePhoneNumberFromString(written.text, region);
  return phone && phone.isPossible() ? phone.number : null;
}
