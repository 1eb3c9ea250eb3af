import { describe, expect, it } from 'vitest';
import { parseLocalInput, snoozePresets, toLocalInput } from './snooze';

describe('snoozePresets', () => {
  it('offers 3 hours, this evening before 15:00, tomorrow and next Monday at 9:00 local time', () => {
    const thursdayMorning = new Date(2026, 11, 3, 10, 30); // Thursday 3 December 2026, 10:30 local
    const presets = snoozePresets(thursdayMorning);
    expect(presets.map((p) => p.id)).toEqual(['3h', 'evening', 'tomorrow', 'week']);
    expect(presets[1]!.until).toEqual(new Date(2026, 11, 3, 18, 0));
    expect(presets[2]!.until).toEqual(new Date(2026, 11, 4, 9, 0));
    expect(presets[3]!.until).toEqual(new Date(2026, 11, 7, 9, 0));
  });

  it('drops this evening late in the day, and next week from a Monday is 7 days on', () => {
    const mondayEvening = new Date(2026, 11, 7, 16, 0);
    const presets = snoozePresets(mondayEvening);
    expect(presets.map((p) => p.id)).toEqual(['3h', 'tomorrow', 'week']);
    expect(presets[2]!.until).toEqual(new Date(2026, 11, 14, 9, 0));
  });
});

describe('local datetime input', () => {
  it('round-trips and refuses the past', () => {
    const now = new Date(2026, 11, 3, 10, 30);
    const later = new Date(2026, 11, 5, 8, 15);
    expect(toLocalInput(later)).toBe('2026-12-05T08:15');
    expect(parseLocalInput(toLocalInput(later), now)).toEqual(later);
    expect(parseLocalInput('2026-12-01T08:00', now)).toBeNull();
    expect(parseLocalInput('', now)).toBeNull();
    expect(parseLocalInput('nonsense', now)).toBeNull();
  });
});
