import { describe, expect, it } from 'vitest';
import { clientChanges, parseList } from './clientModel';

describe('parseList', () => {
  it('trims, drops empties and repeats', () => {
    expect(parseList(' vip, regulars,, vip ,')).toEqual(['vip', 'regulars']);
    expect(parseList('')).toEqual([]);
  });
});

describe('clientChanges', () => {
  const original = { firstName: 'Ana', lastName: null, type: 'vip', groups: ['a', 'b'], notes: null };
  it('names only the fields that changed', () => {
    expect(clientChanges(original, { firstName: 'Ana ', lastName: '', type: 'vip', groups: 'a, b', notes: '' })).toEqual({});
    expect(clientChanges(original, { firstName: 'Anna', lastName: 'Lee', type: 'regular', groups: 'b', notes: 'Prefers SMS' })).toEqual({
      firstName: 'Anna',
      lastName: 'Lee',
      type: 'regular',
      groups: ['b'],
      notes: 'Prefers SMS',
    });
  });
});
