import { describe, expect, it } from 'vitest';
import { backoffMs, createCursorLog } from './cursorLog';
import { resumePlan } from './resume';

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
    expect(log.previous).toBe('c23');
  });

  it('knows the cursor before the last (the start counts), and forgets it on reset', () => {
    const log = createCursorLog('10:1');
    expect(log.previous).toBeNull();
    log.accept('10:2');
    expect(log.previous).toBe('10:1');
    log.accept('11:3');
    expect(log.previous).toBe('10:2');
    log.accept('11:3');
    expect(log.previous).toBe('10:2');
    log.reset('12:1');
    expect(log.previous).toBeNull();
  });
});

describe('resumePlan', () => {
  it('resumes one event early, so that the first answer is the last event again (a repeat) and confirms it', () => {
    const log = createCursorLog('10:1');
    log.accept('10:2');
    log.accept('11:3');
    const plan = resumePlan(log);
    expect(plan).toEqual({ after: '10:2', liveOn: 'first-result' });
    // The server's first answer after 10:2 is 11:3: dropped, nothing is applied twice.
    expect(log.accept('11:3')).toBe(false);
    expect(log.accept('11:4')).toBe(true);
  });

  it('after the starting cursor when no event came (nothing to replay): live with the socket', () => {
    expect(resumePlan(createCursorLog('10:1'))).toEqual({ after: '10:1', liveOn: 'socket' });
    const one = createCursorLog('10:1');
    one.accept('10:2');
    expect(resumePlan(one)).toEqual({ after: '10:1', liveOn: 'first-result' });
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
