// Quiet hours as the composer warns of them: the business's quiet hours (settings.quietHours, e.g.
// 21:00 to 08:00) in the recipient's location's time zone, else the business's: a send inside them
// is scheduled by the gateway for their end, unless sent with bypassQuietHours.

export interface QuietWindow {
  start: string;
  end: string;
}

export interface QuietCheck {
  quiet: boolean;
  /** The recipient's local time now, e.g. "22:15". */
  localTime: string;
  /** When the quiet hours end (in about `minutesLeft`), when quiet. */
  minutesLeft: number | null;
  /** The end as the recipient's local clock time ("08:00"). */
  end: string | null;
}

function minutesOf(hhmm: string): number | null {
  const match = /^(\d{1,2}):(\d{2})/.exec(hhmm);
  if (!match) return null;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The local HH:MM of an instant in a time zone. */
export function localClock(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('hour')}:${get('minute')}`;
}

/** Whether `at` falls in the quiet window in `timeZone` (start inclusive, end exclusive; may span midnight). */
export function checkQuietHours(window: QuietWindow | null | undefined, timeZone: string, at: Date): QuietCheck {
  const localTime = localClock(at, timeZone);
  const none: QuietCheck = { quiet: false, localTime, minutesLeft: null, end: null };
  if (!window) return none;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const t = minutesOf(localTime);
  if (start === null || end === null || t === null || start === end) return none;
  const quiet = start < end ? t >= start && t < end : t >= start || t < end;
  if (!quiet) return none;
  return { quiet: true, localTime, minutesLeft: (end - t + 1440) % 1440, end: window.end.slice(0, 5) };
}
