import type { FieldIssue } from '../errors.js';
import type { QuietHours } from './businessSettings.js';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Problems with a time zone and a quiet-hours window, as field issues under `loc`: the time zone
 * must be an IANA name Node knows (America/New_York, UTC); the window two different "HH:MM" times.
 */
export function checkSettingsValues(values: { timeZone?: string | null; quietHours?: QuietHours | null }, loc: { timeZone: (string | number)[]; quietHours: (string | number)[] }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (values.timeZone != null) {
    let valid = values.timeZone.length > 0 && values.timeZone.length <= 64;
    try {
      if (valid) new Intl.DateTimeFormat('en-US', { timeZone: values.timeZone });
    } catch {
      valid = false;
    }
    if (!valid) issues.push({ type: 'value_error', loc: loc.timeZone, msg: 'must be an IANA time zone such as "America/New_York" or "UTC"', input: values.timeZone });
  }
  const q = values.quietHours;
  if (q != null) {
    for (const part of ['start', 'end'] as const) {
      if (typeof q[part] !== 'string' || !HH_MM.test(q[part])) {
        issues.push({ type: 'value_error', loc: [...loc.quietHours, part], msg: 'must be a 24-hour time "HH:MM", e.g. "21:00"', input: q[part] ?? null });
      }
    }
    if (q.start === q.end && HH_MM.test(q.start)) {
      issues.push({ type: 'value_error', loc: loc.quietHours, msg: 'start and end must differ (a window like {"start": "21:00", "end": "08:00"}); send null for no quiet hours', input: q });
    }
  }
  return issues;
}
