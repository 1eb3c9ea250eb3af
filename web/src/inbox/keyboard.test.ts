import { describe, expect, it } from 'vitest';
import { commandFor } from './keyboard';

describe('the keyboard map', () => {
  it('maps j, k, e, a, slash, r and Escape', () => {
    expect(['j', 'k', 'e', 'a', '/', 'r', 'Escape'].map((key) => commandFor({ key }))).toEqual(['next', 'previous', 'archive', 'assign', 'search', 'reply', 'close']);
    expect(commandFor({ key: 'x' })).toBeNull();
    expect(commandFor({ key: 'J' })).toBeNull();
  });

  it('leaves typing alone, but Escape still closes from a field', () => {
    for (const tagName of ['INPUT', 'TEXTAREA', 'SELECT', 'input']) expect(commandFor({ key: 'j', target: { tagName } })).toBeNull();
    expect(commandFor({ key: 'r', target: { tagName: 'DIV', isContentEditable: true } })).toBeNull();
    expect(commandFor({ key: 'Escape', target: { tagName: 'TEXTAREA' } })).toBe('close');
    expect(commandFor({ key: 'j', target: { tagName: 'A' } })).toBe('next');
  });

  it('leaves modified keys to the browser', () => {
    expect(commandFor({ key: 'r', ctrlKey: true })).toBeNull();
    expect(commandFor({ key: 'k', metaKey: true })).toBeNull();
    expect(commandFor({ key: 'e', altKey: true })).toBeNull();
  });

  it('repeats only j and k while a key is held', () => {
    expect(commandFor({ key: 'j', repeat: true })).toBe('next');
    expect(commandFor({ key: 'k', repeat: true })).toBe('previous');
    for (const key of ['e', 'a', '/', 'r', 'Escape']) expect(commandFor({ key, repeat: true }), key).toBeNull();
    expect(commandFor({ key: 'e', repeat: false })).toBe('archive');
  });

  it('lets only Escape act while a menu is open', () => {
    for (const key of ['j', 'k', 'e', 'a', '/', 'r']) expect(commandFor({ key, target: { tagName: 'DIV' } }, { menuOpen: true }), key).toBeNull();
    expect(commandFor({ key: 'Escape' }, { menuOpen: true })).toBe('close');
    expect(commandFor({ key: 'e' }, { menuOpen: false })).toBe('archive');
  });
});
