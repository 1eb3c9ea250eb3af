import { describe, expect, it } from 'vitest';
import { backoffMs, createCursorLog } from './cursorLog';

describe('createCursorLog', () => {
  it('accepts each cursor once and remembers the last one to resume after', () => {
    const log = createCursorLog('10:1');
    expect(log.last).toBe('10:1');
    expect(log.accept('10:2')).toBe(true);
    expect(log.accept('11:3')).toBe(true);
    expect(log.accept('10:2')).toBe(false);
    expect(log.accept('11:3')).toBe(false);
    expect(log.last).toBe('11:3');
  });

  it('drops an event at the starting cursor (already in the state loaded)', () => {
    const log = createCursorLog('10:1');
    expect(log.accept('10:1')).toBe(false);
    expect(log.last).toBe('10:1');
  });

  it('forgets on reset (a reload after CURSOR_EXPIRED)', () => {
    const log = createCursorLog('1:1');
    log.accept('1:2');
    log.reset('9:9');
    expect(log.last).toBe('9:9');
    expect(log.accept('1:2')).toBe(true);
  });

  it('stays bounded and still knows the recent cursors', () => {
    const log = createCursorLog(null, 10);
    for (let i = 0; i < 25; i++) expect(log.accept(`c${i}`)).toBe(true);
    expect(log.accept('c24')).toBe(false);
    expect(log.accept('c23')).toBe(false);
    expect(log.last).toBe('c24');
  });
});

describe('backoffMs', () => {
  it('doubles from half a second up to 15 seconds, with jitter on top', () => {
    expect(backoffMs(0, 0)).toBe(500);
    expect(backoffMs(1, 0)).toBe(1000);
    expect(backoffMs(3, 0)).toBe(4000);
    expect(backoffMs(20, 0)).toBe(15_000);
    expect(backoffMs(0, 0.999)).toBeLessThanOrEqual(650);
  });
});
