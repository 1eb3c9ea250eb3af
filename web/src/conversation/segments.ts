// SMS segments as the composer shows them: the same count as the gateway's (src/domain/sending/
// countSmsSegments.ts) and Twilio's. GSM-7: 160 septets in one SMS, 153 each when concatenated, the
// extension characters (^ { } \ [ ~ ] | € and form feed) costing two; any other character makes the
// whole body UCS-2: 70 UTF-16 code units in one SMS, 67 each when concatenated (an emoji outside the
// BMP is two units).
const GSM_BASIC = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

export interface SegmentCount {
  encoding: 'gsm7' | 'ucs2';
  /** Septets (gsm7) or UTF-16 code units (ucs2). */
  units: number;
  /** SMS the body is sent as (0 for an empty body). */
  segments: number;
  /** Units left before the next segment starts. */
  remaining: number;
  /** Characters that forced UCS-2 (distinct, in order), so the composer can name them. */
  nonGsm: string[];
}

export function countSegments(body: string): SegmentCount {
  let septets = 0;
  const nonGsm: string[] = [];
  for (const ch of body) {
    if (GSM_BASIC.has(ch)) septets += 1;
    else if (GSM_EXTENDED.has(ch)) septets += 2;
    else if (!nonGsm.includes(ch)) nonGsm.push(ch);
  }
  if (nonGsm.length === 0) return shape('gsm7', septets, 160, 153, nonGsm);
  return shape('ucs2', body.length, 70, 67, nonGsm);
}

function shape(encoding: 'gsm7' | 'ucs2', units: number, single: number, multi: number, nonGsm: string[]): SegmentCount {
  if (units === 0) return { encoding, units, segments: 0, remaining: single, nonGsm };
  if (units <= single) return { encoding, units, segments: 1, remaining: single - units, nonGsm };
  const segments = Math.ceil(units / multi);
  return { encoding, units, segments, remaining: segments * multi - units, nonGsm };
}

/** What the composer shows: "units/capacity · n SMS", plus "· Unicode" when UCS-2. */
export function segmentLabel(count: SegmentCount): string {
  const single = count.encoding === 'gsm7' ? 160 : 70;
  const multi = count.encoding === 'gsm7' ? 153 : 67;
  const capacity = count.segments <= 1 ? single : count.segments * multi;
  return `${count.units}/${capacity} · ${count.segments} SMS${count.encoding === 'ucs2' ? ' · Unicode' : ''}`;
}
