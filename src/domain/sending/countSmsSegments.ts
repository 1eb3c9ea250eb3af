// GSM 03.38: the basic character set costs one septet, the extension table two (escape + char).
const GSM_BASIC = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

/** Whether a character is in the GSM 7-bit alphabet (basic set or extension table). */
export function isGsm7Char(ch: string): boolean {
  return GSM_BASIC.has(ch) || GSM_EXTENDED.has(ch);
}

export interface SmsSegments {
  /** gsm7 when every character is in the GSM 7-bit alphabet, else ucs2 (emoji, most non-Latin scripts). */
  encoding: 'gsm7' | 'ucs2';
  /** How many SMS the body is billed and sent as. */
  segments: number;
  /** Septets (gsm7) or UTF-16 code units (ucs2) the body uses. */
  units: number;
}

/**
 * Segments of an SMS body as carriers count them: one GSM-7 SMS holds 160 septets, or 153 each when
 * concatenated; UCS-2 holds 70 code units, or 67 each. (Twilio may split concatenated UCS-2 so as
 * not to cut a surrogate pair; this count is the standard one.)
 */
export function countSmsSegments(body: string): SmsSegments {
  let septets = 0;
  let gsm = true;
  for (const ch of body) {
    if (GSM_BASIC.has(ch)) septets += 1;
    else if (GSM_EXTENDED.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'gsm7', units: septets, segments: septets === 0 ? 1 : septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = body.length; // UTF-16 code units
  return { encoding: 'ucs2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
