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
  const s = input.trim().replace(/^(tel|sms|whatsapp):/i, '');
  return PHONE_CHARACTERS.test(s) && !s.startsWith('+') && !s.replace(/\D/g, '').startsWith('00');
}

/**
 * A phone number in E.164 (+15551234567), from the common ways people write one: "+44 7911 123456",
 * "07911 123456" (national, in `region`), "(415) 555-0101", "00 44 7911 123456", "tel:+1…",
 * "whatsapp:+1…". Numbers of a possible length for their country are accepted, not only those in
 * an assigned range, so test ranges (+1 555…) and Twilio's magic numbers (+1 500 555 0006) work.
 * Returns null when it cannot be a phone number.
 */
export function normalizePhone(input: string, region: PhoneRegion): string | null {
  let s = input.trim().replace(/^(tel|sms|whatsapp):/i, '');
  if (!PHONE_CHARACTERS.test(s)) return null;
  // "00" starts an international number in most of the world; read it so in every region.
  const digits = s.replace(/\D/g, '');
  if (!s.startsWith('+') && digits.startsWith('00')) s = `+${digits.slice(2)}`;
  const phone = parsePhoneNumberFromString(s, region);
  return phone && phone.isPossible() ? phone.number : null;
}
