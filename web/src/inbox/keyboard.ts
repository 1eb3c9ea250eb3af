// The inbox's keyboard: j/k move, e archive, a assign, / search, r reply, Escape closes.
// Pure (unit-tested): which command a key press means, or none.

export type Command = 'next' | 'previous' | 'archive' | 'assign' | 'search' | 'reply' | 'close';

export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The element the key was typed in (its tag name and whether it is editable). */
  target?: { tagName?: string; isContentEditable?: boolean } | null;
}

const KEYS: Record<string, Command> = {
  j: 'next',
  k: 'previous',
  e: 'archive',
  a: 'assign',
  '/': 'search',
  r: 'reply',
  Escape: 'close',
};

/** Typing in a field is typing, not a command (Escape still closes: it leaves the field). */
export function isTyping(target: KeyPress['target']): boolean {
  if (!target) return false;
  const tag = (target.tagName ?? '').toUpperCase();
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable === true;
}

export function commandFor(press: KeyPress): Command | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  const command = KEYS[press.key] ?? null;
  if (!command) return null;
  if (command !== 'close' && isTyping(press.target)) return null;
  return command;
}

/** The help shown for the shortcuts. */
export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'j / k', what: 'Next / previous conversation' },
  { keys: 'e', what: 'Archive (or reopen) the open conversation' },
  { keys: 'a', what: 'Assign the open conversation' },
  { keys: 'r', what: 'Reply' },
  { keys: '/', what: 'Search' },
  { keys: 'Esc', what: 'Close' },
];
