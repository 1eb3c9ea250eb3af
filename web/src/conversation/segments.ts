// SMS segments as the composer shows them: the gateway's own count (src/domain/sending/
// countSmsSegments.ts, bundled into the app), which is Twilio's. GSM-7: 160 septets in one SMS, 153 each when concatenated, the
// extension characters (^ { } \ [ ~ ] | € and form feed) costing two; any other character makes the
// whole body UCS-2: 70 UTF-16 code units in one SMS, 67 each when concatenated (an emoji outside the
// BMP is two units).
import { countSmsSegments, isGsm7Char } from '../../../src/domain/sending/countSmsSegments.js';

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

/** The gateway's own count (one alphabet, one rule), with what the composer shows besides. */
export function countSegments(body: string): SegmentCount {
  const { encoding, units, segments } = countSmsSegments(body);
  const nonGsm = encoding === 'gsm7' ? [] : [...new Set([...body].filter((ch) => !isGsm7Char(ch)))];
  const single = encoding === 'gsm7' ? 160 : 70;
  const multi = encoding === 'gsm7' ? 153 : 67;
  if (units === 0) return { encoding, units, segments: 0, remaining: single, nonGsm };
  return { encoding, units, segments, remaining: segments <= 1 ? single - units : segments * multi - units, nonGsm };
}

/** What the composer shows: "units/capacity · n SMS", plus "· Unicode" when UCS-2. */
export function segmentLabel(count: SegmentCount): string {
  const single = count.encoding === 'gsm7' ? 160 : 70;
  const multi = count.encoding === 'gsm7' ? 153 : 67;
  const capacity = count.segments <= 1 ? single : count.segments * multi;
  return `${count.units}/${capacity} · ${count.segments} SMS${count.encoding === 'ucs2' ? ' · Unicode' : ''}`;
}
