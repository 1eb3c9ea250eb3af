/** A business's quiet hours: wall-clock times in the recipient's time zone; the window may span midnight. */
export interface QuietHours {
  /** "HH:MM", 24-hour. */
  start: string;
  end: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function parseClock(value: unknown): number | null {
  const m = typeof value === 'string' ? HHMM.exec(value) : null;
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  minutes: number;
}

function wallTime(at: Date, timeZone: string): WallTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), minutes: get('hour') * 60 + get('minute') };
}

/** Milliseconds the zone is ahead of UTC at `at`. */
function offsetMs(at: Date, timeZone: string): number {
  const w = wallTime(at, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, Math.floor(w.minutes / 60), w.minutes % 60);
  return asUtc - Math.floor(at.getTime() / 60_000) * 60_000;
}

/** The instant a wall-clock time happens in a zone (a time skipped by DST lands just after the gap). */
function instantOf(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day, Math.floor(minutes / 60), minutes % 60);
  let instant = guess - offsetMs(new Date(guess), timeZone);
  instant = guess - offsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

/**
 * When `at` falls inside the quiet window (start inclusive, end exclusive) in `timeZone`, the
 * instant the window ends; otherwise null. Equal start and end mean no quiet hours.
 */
export function quietHoursEnd(at: Date, quietHours: QuietHours, timeZone: string): Date | null {
  const start = parseClock(quietHours.start);
  const end = parseClock(quietHours.end);
  if (start === null || end === null || start === end) return null;
  const now = wallTime(at, timeZone);
  const wraps = start > end; // e.g. 21:00 -> 08:00
  const inside = wraps ? now.minutes >= start || now.minutes < end : now.minutes >= start && now.minutes < end;
  if (!inside) return null;
  // Ends today, or tomorrow when we are in the evening part of a window that spans midnight.
  const endsTomorrow = wraps && now.minutes >= start;
  const day = new Date(Date.UTC(now.year, now.month - 1, now.day + (endsTomorrow ? 1 : 0)));
  return instantOf(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), end, timeZone);
}
