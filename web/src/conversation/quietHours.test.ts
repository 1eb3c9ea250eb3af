import { describe, expect, it } from 'vitest';
import { checkQuietHours, localClock } from './quietHours';

const night = { start: '21:00', end: '08:00' };

describe('checkQuietHours', () => {
  it('is quiet inside a window that spans midnight, in the recipient time zone', () => {
    // 03:30 UTC is 22:30 in New York (EST, December).
    const at = new Date('2026-12-04T03:30:00Z');
    expect(checkQuietHours(night, 'America/New_York', at)).toEqual({ quiet: true, localTime: '22:30', minutesLeft: 570, end: '08:00' });
    expect(checkQuietHours(night, 'Europe/Paris', at).quiet).toBe(true); // 04:30
    expect(checkQuietHours(night, 'Asia/Tokyo', at)).toMatchObject({ quiet: false, localTime: '12:30' });
  });

  it('includes the start and excludes the end', () => {
    expect(checkQuietHours(night, 'UTC', new Date('2026-12-04T21:00:00Z')).quiet).toBe(true);
    expect(checkQuietHours(night, 'UTC', new Date('2026-12-04T08:00:00Z')).quiet).toBe(false);
    expect(checkQuietHours(night, 'UTC', new Date('2026-12-04T07:59:00Z'))).toMatchObject({ quiet: true, minutesLeft: 1 });
  });

  it('handles a window within one day, and no window', () => {
    expect(checkQuietHours({ start: '12:00', end: '14:00' }, 'UTC', new Date('2026-12-04T13:00:00Z')).quiet).toBe(true);
    expect(checkQuietHours({ start: '12:00', end: '14:00' }, 'UTC', new Date('2026-12-04T15:00:00Z')).quiet).toBe(false);
    expect(checkQuietHours(null, 'UTC', new Date()).quiet).toBe(false);
    expect(checkQuietHours({ start: '10:00', end: '10:00' }, 'UTC', new Date()).quiet).toBe(false);
  });

  it('reads the local clock of a zone', () => {
    expect(localClock(new Date('2026-07-01T12:05:00Z'), 'Europe/Paris')).toBe('14:05');
  });
});
