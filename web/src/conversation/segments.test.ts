import { describe, expect, it } from 'vitest';
import { countSegments, segmentLabel } from './segments';

describe('countSegments', () => {
  it('counts nothing for an empty body', () => {
    expect(countSegments('')).toMatchObject({ encoding: 'gsm7', units: 0, segments: 0, remaining: 160 });
  });

  it('fits 160 GSM-7 characters in one SMS and splits 161 into two of 153', () => {
    expect(countSegments('a'.repeat(160))).toMatchObject({ encoding: 'gsm7', units: 160, segments: 1, remaining: 0 });
    expect(countSegments('a'.repeat(161))).toMatchObject({ encoding: 'gsm7', units: 161, segments: 2, remaining: 306 - 161 });
    expect(countSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('counts the GSM-7 extension characters as two septets', () => {
    expect(countSegments('€')).toMatchObject({ encoding: 'gsm7', units: 2, segments: 1 });
    expect(countSegments('[]{}^~|\\')).toMatchObject({ encoding: 'gsm7', units: 16 });
    // 80 euro signs are 160 septets: one SMS; one more character makes two.
    expect(countSegments('€'.repeat(80)).segments).toBe(1);
    expect(countSegments('€'.repeat(80) + 'a').segments).toBe(2);
  });

  it('keeps accented Latin letters of the GSM alphabet in GSM-7', () => {
    expect(countSegments('Café à Zürich, ¿qué tal? ñ').encoding).toBe('gsm7');
  });

  it('switches the whole body to UCS-2 for a character outside GSM-7 (70 / 67)', () => {
    const count = countSegments('Thanks ’see you');
    expect(count.encoding).toBe('ucs2');
    expect(count.units).toBe(15);
    expect(count.nonGsm).toEqual(['’']);
    expect(countSegments('ç'.repeat(70))).toMatchObject({ encoding: 'ucs2', segments: 1, remaining: 0 });
    expect(countSegments('ç'.repeat(71))).toMatchObject({ encoding: 'ucs2', segments: 2, remaining: 134 - 71 });
  });

  it('counts an emoji as two UTF-16 units', () => {
    expect(countSegments('👍')).toMatchObject({ encoding: 'ucs2', units: 2, segments: 1, nonGsm: ['👍'] });
    expect(countSegments('a'.repeat(68) + '👍')).toMatchObject({ units: 70, segments: 1 });
    expect(countSegments('a'.repeat(69) + '👍')).toMatchObject({ units: 71, segments: 2 });
  });
});

describe('segmentLabel', () => {
  it('shows units over the capacity of the segments used', () => {
    expect(segmentLabel(countSegments(''))).toBe('0/160 · 0 SMS');
    expect(segmentLabel(countSegments('a'.repeat(161)))).toBe('161/306 · 2 SMS');
    expect(segmentLabel(countSegments('Hi 👋'))).toBe('5/70 · 1 SMS · Unicode');
  });
});
