// The client panel's edit form logic: a comma-separated list, and only the fields that changed.

/** "vip, regulars,, vip" -> ["vip", "regulars"]: trimmed, no empties, no repeats. */
export function parseList(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item && !out.includes(item)) out.push(item);
  }
  return out;
}

export interface ClientEdit {
  firstName: string;
  lastName: string;
  type: string;
  groups: string;
  notes: string;
}

export interface ClientOriginal {
  firstName: string | null;
  lastName: string | null;
  type: string | null;
  groups: string[];
  notes: string | null;
}

/** The updateClient fields that differ from the client as loaded (so a save touches nothing else). */
export function clientChanges(original: ClientOriginal, edit: ClientEdit): { firstName?: string; lastName?: string; type?: string; groups?: string[]; notes?: string } {
  const changes: { firstName?: string; lastName?: string; type?: string; groups?: string[]; notes?: string } = {};
  if (edit.firstName.trim() !== (original.firstName ?? '')) changes.firstName = edit.firstName.trim();
  if (edit.lastName.trim() !== (original.lastName ?? '')) changes.lastName = edit.lastName.trim();
  if (edit.type.trim() !== (original.type ?? '')) changes.type = edit.type.trim();
  const groups = parseList(edit.groups);
  if (groups.join('\u0000') !== original.groups.join('\u0000')) changes.groups = groups;
  if (edit.notes !== (original.notes ?? '')) changes.notes = edit.notes;
  return changes;
}
