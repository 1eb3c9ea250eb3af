// Snooze presets: later today, tomorrow morning, next week, in the viewer's own time.

export interface SnoozePreset {
  id: string;
  label: string;
  until: Date;
}

function at(base: Date, days: number, hour: number): Date {
  const d = new Date(base);
  d.setDate(d.getDate() + days);
  d.setHours(hour, 0, 0, 0);
  return d;
}

/** The presets offered at `now` (local time): in 3 hours, this evening (before 18:00), tomorrow 9:00, next Monday 9:00. */
export function snoozePresets(now: Date): SnoozePreset[] {
  const presets: SnoozePreset[] = [{ id: '3h', label: 'In 3 hours', until: new Date(now.getTime() + 3 * 3_600_000) }];
  if (now.getHours() < 15) presets.push({ id: 'evening', label: 'This evening (18:00)', until: at(now, 0, 18) });
  presets.push({ id: 'tomorrow', label: 'Tomorrow (9:00)', until: at(now, 1, 9) });
  const toMonday = (8 - now.getDay()) % 7 || 7;
  presets.push({ id: 'week', label: 'Next week (Mon 9:00)', until: at(now, toMonday, 9) });
  return presets;
}

/** A datetime-local input's value for a date (local time, minutes). */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value as an instant, or null when empty, invalid or not in the future. */
export function parseLocalInput(value: string, now: Date): Date | null {
  if (!value) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime()) || d.getTime() <= now.getTime()) return null;
  return d;
}
