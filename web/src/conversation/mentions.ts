// @mentions in internal notes: the query being typed at the caret, inserting the chosen staff
// member's name, and which staff members a note's text mentions (its mentionStaffIds).

export interface MentionStaff {
  staffId: string;
  name: string;
}

export interface ActiveMention {
  /** Index of the '@'. */
  start: number;
  /** What follows the '@' up to the caret. */
  query: string;
}

/** The mention being typed at `caret`: an '@' at the start or after a space, then at most 3 words. */
export function activeMention(text: string, caret: number): ActiveMention | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([\p{L}\p{N}._'-]*(?: [\p{L}\p{N}._'-]*){0,2})$/u.exec(before);
  if (!match) return null;
  const query = match[2]!;
  // A query that ends in a space and matches nobody is plain text again: the caller filters staff.
  return { start: before.length - query.length - 1, query };
}

/** Staff whose name (or one word of it) starts with the query, case-insensitively. */
export function matchStaff<T extends MentionStaff>(staff: readonly T[], query: string, limit = 8): T[] {
  const q = query.trim().toLowerCase();
  const hits = staff.filter((s) => {
    const name = s.name.toLowerCase();
    return !q || name.startsWith(q) || name.split(/\s+/).some((w) => w.startsWith(q));
  });
  return hits.slice(0, limit);
}

/** The text with the active mention replaced by "@Name ", and where the caret goes. */
export function insertMention(text: string, mention: ActiveMention, name: string): { text: string; caret: number } {
  const end = mention.start + 1 + mention.query.length;
  const inserted = `@${name} `;
  const rest = text.slice(end).replace(/^ /, '');
  return { text: text.slice(0, mention.start) + inserted + rest, caret: mention.start + inserted.length };
}

/**
 * The staff a note mentions: every "@Name" in the text (at the start or after whitespace, followed by
 * the end, whitespace or punctuation), longest names first so "@Ann Lee" is not read as "@Ann".
 */
export function mentionedStaffIds(text: string, staff: readonly MentionStaff[]): string[] {
  const byLength = [...staff].sort((a, b) => b.name.length - a.name.length);
  const found: string[] = [];
  const lower = text.toLowerCase();
  let i = lower.indexOf('@');
  while (i !== -1) {
    if (i === 0 || /\s|\(/.test(lower.charAt(i - 1))) {
      for (const s of byLength) {
        const name = s.name.toLowerCase();
        if (!name || !lower.startsWith(name, i + 1)) continue;
        const after = lower.charAt(i + 1 + name.length);
        if (after && /[\p{L}\p{N}_]/u.test(after)) continue;
        if (!found.includes(s.staffId)) found.push(s.staffId);
        break;
      }
    }
    i = lower.indexOf('@', i + 1);
  }
  return found;
}

/** A note's text split into plain parts and mentions of known staff, for display. */
export function splitMentions(text: string, staff: readonly MentionStaff[]): Array<{ text: string; staffId?: string }> {
  const byLength = [...staff].sort((a, b) => b.name.length - a.name.length);
  const parts: Array<{ text: string; staffId?: string }> = [];
  const lower = text.toLowerCase();
  let plainFrom = 0;
  let i = lower.indexOf('@');
  while (i !== -1) {
    let matched: MentionStaff | undefined;
    if (i === 0 || /\s|\(/.test(lower.charAt(i - 1))) {
      matched = byLength.find((s) => {
        const name = s.name.toLowerCase();
        if (!name || !lower.startsWith(name, i + 1)) return false;
        const after = lower.charAt(i + 1 + name.length);
        return !after || !/[\p{L}\p{N}_]/u.test(after);
      });
    }
    if (matched) {
      if (i > plainFrom) parts.push({ text: text.slice(plainFrom, i) });
      const end = i + 1 + matched.name.length;
      parts.push({ text: text.slice(i, end), staffId: matched.staffId });
      plainFrom = end;
      i = lower.indexOf('@', end);
    } else i = lower.indexOf('@', i + 1);
  }
  if (plainFrom < text.length) parts.push({ text: text.slice(plainFrom) });
  return parts;
}
