import { describe, expect, it } from 'vitest';
import { filterInput, snippetParts } from './filters';
import { parseRoute, searchPath, viewFilter, viewPath } from './routes';

describe('routes', () => {
  it('parses the app paths', () => {
    expect(parseRoute('/inbox')).toEqual({ page: 'inbox', view: { view: 'inbox' }, conversationId: null });
    expect(parseRoute('/inbox/')).toEqual({ page: 'inbox', view: { view: 'inbox' }, conversationId: null });
    expect(parseRoute('/inbox/mine')).toEqual({ page: 'inbox', view: { view: 'mine' }, conversationId: null });
    expect(parseRoute('/inbox/unread/c/abc')).toEqual({ page: 'inbox', view: { view: 'unread' }, conversationId: 'abc' });
    expect(parseRoute('/inbox/label/L1/c/abc')).toEqual({ page: 'inbox', view: { view: 'label', labelId: 'L1' }, conversationId: 'abc' });
    expect(parseRoute('/inbox/sign-in')).toEqual({ page: 'sign-in' });
    expect(parseRoute('/inbox/search', '?q=late%20again')).toEqual({ page: 'search', query: 'late again', conversationId: null });
    expect(parseRoute('/inbox/search/c/x', '?q=a')).toEqual({ page: 'search', query: 'a', conversationId: 'x' });
    expect(parseRoute('/inbox/nope').page).toBe('not-found');
    expect(parseRoute('/inbox/mine/x/y').page).toBe('not-found');
    expect(parseRoute('/elsewhere').page).toBe('not-found');
  });

  it('builds paths that parse back', () => {
    for (const [view, id] of [
      [{ view: 'inbox' as const }, null],
      [{ view: 'archived' as const }, 'c1'],
      [{ view: 'label' as const, labelId: 'L 1' }, 'c/2'],
    ] as const) {
      const path = viewPath(view, id);
      const back = parseRoute(path.split('?')[0]!);
      expect(back).toEqual({ page: 'inbox', view, conversationId: id });
    }
    expect(viewPath({ view: 'inbox' })).toBe('/inbox');
    expect(searchPath('a b', 'c1')).toBe('/inbox/search/c/c1?q=a%20b');
  });

  it("gives each view the API's filter, the view's own assignee winning", () => {
    expect(viewFilter({ view: 'inbox' }, 'me')).toEqual({ view: 'inbox' });
    expect(viewFilter({ view: 'mine' }, 'me', { assigneeId: 'other', locationId: 'l' })).toEqual({ view: 'inbox', assigneeId: 'me', locationId: 'l' });
    expect(viewFilter({ view: 'unassigned' }, 'me', { assigneeId: 'other' })).toEqual({ view: 'inbox', unassigned: true });
    expect(viewFilter({ view: 'label', labelId: 'L1' }, 'me')).toEqual({ view: 'inbox', labelIds: ['L1'] });
    expect(viewFilter({ view: 'mentions' }, 'me')).toEqual({ view: 'mentions' });
  });
});

describe('list filters', () => {
  it('turns the filter bar into API filter fields', () => {
    const now = new Date('2026-12-04T15:00:00Z');
    expect(filterInput({}, now)).toEqual({});
    expect(filterInput({ assignee: 'none', channel: 'email', clientGroup: 'vip' }, now)).toEqual({ unassigned: true, channel: 'email', clientGroup: 'vip' });
    expect(filterInput({ assignee: 's1', date: '7d' }, now)).toEqual({ assigneeId: 's1', from: '2026-11-27T15:00:00.000Z' });
  });

  it('splits a search snippet into plain and marked text (no HTML is rendered)', () => {
    expect(snippetParts('Running <mark>late</mark>, <b>sorry</b> <mark>x</mark>')).toEqual([
      { text: 'Running ', mark: false },
      { text: 'late', mark: true },
      { text: ', <b>sorry</b> ', mark: false },
      { text: 'x', mark: true },
    ]);
    expect(snippetParts('')).toEqual([]);
  });
});
