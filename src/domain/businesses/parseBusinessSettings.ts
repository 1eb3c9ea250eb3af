import { isPhoneRegion } from '../contacts/normalizePhone.js';
import type { BusinessSettings, QuietHours } from './businessSettings.js';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Business.settings as typed settings; anything malformed reads as unset. */
export function parseBusinessSettings(json: unknown): BusinessSettings {
  const s = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const q = s['quietHours'] as Partial<QuietHours> | null | undefined;
  const quietHours = q && typeof q.start === 'string' && typeof q.end === 'string' && HH_MM.test(q.start) && HH_MM.test(q.end) ? { start: q.start, end: q.end } : null;
  const defaultSenderLocationId = typeof s['defaultSenderLocationId'] === 'string' ? s['defaultSenderLocationId'] : null;
  const region = s['phoneRegion'];
  const phoneRegion = typeof region === 'string' && isPhoneRegion(region) ? region : null;
  return { quietHours, defaultSenderLocationId, phoneRegion };
}
