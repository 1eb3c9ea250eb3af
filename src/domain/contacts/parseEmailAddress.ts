import { normalizeEmail } from './normalizeEmail.js';

export interface ParsedAddress {
  /** Lower-cased address. */
  email: string;
  /** The display name, without quotes ("Jane Doe" from `"Jane Doe" <jane@example.com>`), or null. */
  name: string | null;
}

/**
 * `Jane Doe <jane@example.com>`, `"Doe, Jane" <jane@example.com>` or `jane@example.com`: one
 * address (a display name holds no angle brackets); null when there is none. The one reading of an email address given to Omega: provider webhooks and
 * recorded messages alike.
 */
export function parseEmailAddress(input: string | null | undefined): ParsedAddress | null {
  if (!input) return null;
  const angle = /^\s*([^<>]*?)\s*<([^<>]+)>\s*$/.exec(input);
  const email = normalizeEmail(angle ? angle[2]! : input);
  if (!email) return null;
  const name = angle
    ? angle[1]!
        .replace(/^"(.*)"$/, '$1')
        .replace(/\\(.)/g, '$1')
        .trim()
    : '';
  return { email, name: name || null };
}

/** First and last name from a display name ("Jane van Doe" → Jane / van Doe; "Doe, Jane" → Jane / Doe). */
export function splitDisplayName(name: string | null): { firstName: string | null; lastName: string | null } {
  if (!name) return { firstName: null, lastName: null };
  const comma = /^([^,]+),\s*(.+)$/.exec(name);
  if (comma) return { firstName: comma[2]!.trim(), lastName: comma[1]!.trim() };
  const [first, ...rest] = name.split(/\s+/);
  return { firstName: first ?? null, lastName: rest.length ? rest.join(' ') : null };
}
