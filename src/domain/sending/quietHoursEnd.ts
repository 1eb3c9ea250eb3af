// The end of a business's quiet hours, in the recipient's time zone. Zone offsets come from Luxon
// (Intl-backed, with its formatters cached per zone); a wall-clock time that a daylight-saving
// change skips or repeats resolves as Temporal's "compatible" disambiguation does:
// - skipped (spring forward): moved forward by the gap, 02:30 -> 03:30 where 02:00 jumps to 03:00;
// - repeated (fall back): the earlier of the two instants.
import { DateTime, IANAZone } from 'luxon';

/** A business's quiet hours: wall-clock times in the recipient's time zone; the window may span midnight. */
export interface QuietHours {
  /** "HH:MM", 24-hour. */
  start: string;
  end: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MS = 86_400_000;

function parseClock(value: unknown): number | null {
  const m = typeof value === 'string' ? HHMM.exec(value) : null;
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** The instant a wall-clock time happens in a zone (see the header for skipped and repeated times). */
function instantOf(date: { year: number; month: number; day: number }, minutes: number, zone: IANAZone): Date {
  const wallAsUtc = Date.UTC(date.year, date.month - 1, date.day, Math.floor(minutes / 60), minutes % 60);
  // The zone's offsets (minutes ahead of UTC) a day either side cover any one transition.
  const before = zone.offset(wallAsUtc - DAY_MS);
  const after = zone.offset(wallAsUtc + DAY_MS);
  const matching = [before, after].map((offset) => wallAsUtc - offset * 60_000).filter((instant) => zone.offset(instant) * 60_000 === wallAsUtc - instant);
  if (matching.length > 0) return new Date(Math.min(...matching));
  // Skipped: read with the offset before the change, i.e. moved forward by the gap.
  return new Date(wallAsUtc - before * 60_000);
}

/**
 * When `at` falls inside the quiet window (start inclusive, end exclusive) in `timeZone`, the
 * instant the window ends; otherwise null. Equal start and end mean no quiet hours.
 */
export function quietHoursEnd(at: Date, quietHours: QuietHours, timeZone: string): Date | null {
  const start = parseClock(quietHours.start);
  const end = parseClock(quietHours.end);
  if (start === null || end === null || start === end) return null;
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new RangeError(`Invalid time zone ${JSON.stringify(timeZone)}`);
  const now = DateTime.fromJSDate(at, { zone });
  const minutes = now.hour * 60 + now.minute;
  const wraps = start > end; // e.g. 21:00 -> 08:00
  const inside = wraps ? minutes >= start || minutes < end : minutes >= start && minutes < end;
  if (!inside) return null;
  // Ends today, or tomorrow when we are in the evening part of a window that spans midnight.
  const endDay = wraps && minutes >= start ? now.plus({ days: 1 }) : now;
  return instantOf(endDay, end, zone);
}
