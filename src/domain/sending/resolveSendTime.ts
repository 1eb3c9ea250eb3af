import { parseBusinessSettings } from '../businesses/parseBusinessSettings.js';
import { isTimeZone } from './isTimeZone.js';
import { quietHoursEnd } from './quietHoursEnd.js';

export interface SendTime {
  /** null: send now. */
  runAt: Date | null;
  status: 'queued' | 'scheduled';
  /** Why the send waits. */
  reason: 'now' | 'send_at' | 'quiet_hours';
}

export interface SendTimeInput {
  now: Date;
  sendAt?: Date | null;
  /** Business.settings (JSON); its quietHours apply to every channel. */
  businessSettings: unknown;
  /** The recipient's location's zone, else the business's, else UTC (first valid one wins). */
  timeZones: (string | null | undefined)[];
  bypassQuietHours?: boolean;
}

/**
 * When a send may go out: at send_at (if later than now), pushed to the end of the business's quiet
 * hours when it would fall inside them. A message that waits is `scheduled`; nothing is dropped.
 */
export function resolveSendTime(input: SendTimeInput): SendTime {
  let at = input.sendAt && input.sendAt.getTime() > input.now.getTime() ? input.sendAt : input.now;
  let reason: SendTime['reason'] = at === input.now ? 'now' : 'send_at';
  const quiet = input.bypassQuietHours ? null : parseBusinessSettings(input.businessSettings).quietHours;
  if (quiet) {
    const zone = input.timeZones.find(isTimeZone) ?? 'UTC';
    const end = quietHoursEnd(at, quiet, zone);
    if (end) {
      at = end;
      reason = 'quiet_hours';
    }
  }
  return reason === 'now' ? { runAt: null, status: 'queued', reason } : { runAt: at, status: 'scheduled', reason };
}
