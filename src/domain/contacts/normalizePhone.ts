/**
 * A phone number in E.164 (+15551234567), from the common ways people write one:
 * "+1 (555) 123-4567", "555-123-4567" (North American default), "001 555 123 4567", "whatsapp:+1555...".
 * Returns null when it cannot be a phone number.
 */
export function normalizePhone(input: string, defaultCountryCode = '1'): string | null {
  let s = input.trim().replace(/^(tel|sms|whatsapp):/i, '');
  if (!/^[+\d\s().\-/]+$/.test(s)) return null;
  const plus = s.startsWith('+');
  s = s.replace(/\D/g, '');
  if (!plus) {
    if (s.startsWith('00')) s = s.slice(2);
    else if (defaultCountryCode === '1' && s.length === 10) s = `1${s}`;
    else if (defaultCountryCode === '1' && s.length === 11 && s.startsWith('1')) {
      // already has the country code
    } else if (s.length <= 10) s = `${defaultCountryCode}${s.replace(/^0+/, '')}`;
  }
  if (!/^[1-9]\d{7,14}$/.test(s)) return null;
  return `+${s}`;
}
