import { describe, expect, it } from 'vitest';
import { canRetry, dayLabel, failureReason, groupByDay, mergeMessages, statusTick, upsertMessage } from './messageModel';

const m = (id: string, createdAt: string, updatedAt = createdAt, extra: Record<string, unknown> = {}) => ({ messageId: id, createdAt, updatedAt, ...extra });

describe('mergeMessages', () => {
  it('keeps each id once, oldest first, whatever the page order', () => {
    const newest = [m('c', '2026-12-04T10:02:00Z'), m('b', '2026-12-04T10:01:00Z')];
    const older = [m('a', '2026-12-04T10:00:00Z'), m('b', '2026-12-04T10:01:00Z')];
    expect(mergeMessages([newest, older]).map((x) => x.messageId)).toEqual(['a', 'b', 'c']);
  });

  it('takes the version updated last (a live status over a stale page)', () => {
    const page = [m('a', '2026-12-04T10:00:00Z', '2026-12-04T10:00:00Z', { status: 'sent' })];
    const live = [m('a', '2026-12-04T10:00:00Z', '2026-12-04T10:00:05Z', { status: 'delivered' })];
    expect(mergeMessages([page, live])[0]).toMatchObject({ status: 'delivered' });
    expect(mergeMessages([live, page])[0]).toMatchObject({ status: 'delivered' });
  });

  it('orders messages of the same instant by id', () => {
    expect(mergeMessages([[m('y', '2026-12-04T10:00:00Z'), m('x', '2026-12-04T10:00:00Z')]]).map((x) => x.messageId)).toEqual(['x', 'y']);
  });
});

describe('upsertMessage', () => {
  it('appends a new id, replaces a known one, ignores an older version', () => {
    const one = upsertMessage([], m('a', '2026-12-04T10:00:00Z', '2026-12-04T10:00:01Z', { status: 'queued' }));
    expect(one).toHaveLength(1);
    const two = upsertMessage(one, m('a', '2026-12-04T10:00:00Z', '2026-12-04T10:00:02Z', { status: 'sent' }));
    expect(two).toHaveLength(1);
    expect(two[0]).toMatchObject({ status: 'sent' });
    expect(upsertMessage(two, m('a', '2026-12-04T10:00:00Z', '2026-12-04T10:00:01Z', { status: 'queued' }))).toBe(two);
    expect(upsertMessage(two, m('b', '2026-12-04T10:00:03Z'))).toHaveLength(2);
  });
});

describe('groupByDay', () => {
  const now = new Date('2026-12-04T15:00:00Z');
  it('groups runs of one day in the given time zone, labelled Today / Yesterday / a date', () => {
    const list = [m('a', '2026-11-02T09:00:00Z'), m('b', '2026-12-03T12:00:00Z'), m('c', '2026-12-04T01:00:00Z'), m('d', '2026-12-04T14:00:00Z')];
    const groups = groupByDay(list, now, 'UTC');
    expect(groups.map((g) => [g.label, g.messages.map((x) => x.messageId)])).toEqual([
      ['Monday, November 2', ['a']],
      ['Yesterday', ['b']],
      ['Today', ['c', 'd']],
    ]);
    // In New York, 01:00 UTC on the 4th is still the 3rd.
    expect(groupByDay(list, now, 'America/New_York').map((g) => g.messages.map((x) => x.messageId))).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('names the year of another year', () => {
    expect(dayLabel('2025-06-01', now, 'UTC')).toBe('June 1, 2025');
  });
});

describe('statusTick', () => {
  it('maps each outbound status to its tick', () => {
    const kinds = ['scheduled', 'queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'undelivered', 'canceled'].map((s) => statusTick(s, 'outbound').kind);
    expect(kinds).toEqual(['scheduled', 'pending', 'pending', 'sent', 'delivered', 'read', 'failed', 'failed', 'canceled']);
    expect(statusTick('delivered', 'outbound').glyph).toBe('✓✓');
    expect(statusTick('sent', 'outbound').glyph).toBe('✓');
  });

  it('shows nothing for inbound messages and notes', () => {
    expect(statusTick('received', 'inbound').kind).toBe('none');
    expect(statusTick('recorded', 'internal').kind).toBe('none');
  });
});

describe('canRetry and failureReason', () => {
  it('offers a retry for failed outbound SMS and email only', () => {
    expect(canRetry({ status: 'failed', direction: 'outbound', channel: 'sms' })).toBe(true);
    expect(canRetry({ status: 'undelivered', direction: 'outbound', channel: 'email' })).toBe(true);
    expect(canRetry({ status: 'delivered', direction: 'outbound', channel: 'sms' })).toBe(false);
    expect(canRetry({ status: 'failed', direction: 'internal', channel: 'note' })).toBe(false);
  });

  it('says the reason with its code', () => {
    expect(failureReason({ errorMessage: 'Unreachable destination handset', errorCode: '30003' })).toBe('Unreachable destination handset (30003)');
    expect(failureReason({ errorCode: '30007' })).toBe('Error 30007');
    expect(failureReason({})).toBe('The provider did not say why.');
  });
});
