// The inbox's keyboard: j/k move, e archive, a assign, / search, r reply, Escape closes.
// Pure (unit-tested): which command a key press means, or none. A held key repeats only j/k (moving);
// while a menu is open only Escape acts (it closes the menu), so `e` typed at a menu archives nothing.

export type Command = 'next' | 'previous' | 'archive' | 'assign' | 'search' | 'reply' | 'close';

export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The key is held down (the keyboard's auto-repeat). */
  repeat?: boolean;
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

export interface KeyState {
  /** A menu is open (the assign menu, the sidebar, a menu of the pane): only Escape acts. */
  menuOpen?: boolean;
}

export function commandFor(press: KeyPress, state: KeyState = {}): Command | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  const command = KEYS[press.key] ?? null;
  if (!command) return null;
  // Holding j or k keeps moving; holding e must not archive one conversation after another.
  if (press.repeat && command !== 'next' && command !== 'previous') return null;
  if (state.menuOpen && command !== 'close') return null;
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
