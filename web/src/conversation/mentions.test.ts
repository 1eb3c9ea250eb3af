import { describe, expect, it } from 'vitest';
import { activeMention, insertMention, matchStaff, mentionedStaffIds, splitMentions } from './mentions';

const staff = [
  { staffId: 's1', name: 'Ann' },
  { staffId: 's2', name: 'Ann Lee' },
  { staffId: 's3', name: 'Bob Stone' },
];

describe('activeMention', () => {
  it('finds the @query at the caret', () => {
    expect(activeMention('hi @An', 6)).toEqual({ start: 3, query: 'An' });
    expect(activeMention('@', 1)).toEqual({ start: 0, query: '' });
    expect(activeMention('ask @Bob St', 11)).toEqual({ start: 4, query: 'Bob St' });
  });

  it('ignores an @ inside a word (an email address) and text before the caret only counts', () => {
    expect(activeMention('mail ann@example.com', 20)).toBeNull();
    // At most three words after the '@' (names of up to three words); the menu shows only matches.
    expect(activeMention('hi @An and some more', 20)).toBeNull();
    expect(activeMention('hi @An and more', 6)).toEqual({ start: 3, query: 'An' });
  });
});

describe('matchStaff', () => {
  it('matches the start of the name or of one of its words', () => {
    expect(matchStaff(staff, 'an').map((s) => s.staffId)).toEqual(['s1', 's2']);
    expect(matchStaff(staff, 'sto').map((s) => s.staffId)).toEqual(['s3']);
    expect(matchStaff(staff, '').length).toBe(3);
    expect(matchStaff(staff, 'zed')).toEqual([]);
  });
});

describe('insertMention', () => {
  it('replaces the query with the name and puts the caret after it', () => {
    const text = 'hi @bo please';
    const m = activeMention(text, 6)!;
    expect(insertMention(text, m, 'Bob Stone')).toEqual({ text: 'hi @Bob Stone please', caret: 14 });
  });
});

describe('mentionedStaffIds', () => {
  it('prefers the longest name and reads each mention once', () => {
    expect(mentionedStaffIds('@Ann Lee can you call? cc @ann, @Ann Lee', staff)).toEqual(['s2', 's1']);
  });

  it('needs a word boundary on both sides', () => {
    expect(mentionedStaffIds('mail bob@Bob Stone.com', staff)).toEqual([]);
    expect(mentionedStaffIds('@Annabel is new', staff)).toEqual([]);
    expect(mentionedStaffIds('(@Bob Stone) ok', staff)).toEqual(['s3']);
  });
});

describe('splitMentions', () => {
  it('splits text into plain parts and mentions', () => {
    expect(splitMentions('hey @Ann Lee, see this', staff)).toEqual([{ text: 'hey ' }, { text: '@Ann Lee', staffId: 's2' }, { text: ', see this' }]);
    expect(splitMentions('no mentions', staff)).toEqual([{ text: 'no mentions' }]);
  });
});
