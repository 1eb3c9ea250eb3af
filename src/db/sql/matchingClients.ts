/** The text clients_name_trgm_idx indexes: the client's name (fuzzy search). */
export const CLIENT_NAME = 'omega_client_name_text(cl.first_name, cl.last_name)';
/** The text clients_search_trgm_idx indexes: name, phones and emails (substring search). */
export const CLIENT_TEXT = 'omega_client_search_text(cl.first_name, cl.last_name, cl.phones, cl.emails)';

/** At most this many words of a search text are each matched against the name. */
const MAX_WORDS = 6;

export interface ClientSearchTerms {
  /** The lower-cased search text (clientSearchText). */
  text: string;
  /** `%text%` with LIKE's wildcards escaped. */
  like: string;
  /** The words matched one by one against the name; empty for a phone number (digits match as a substring only). */
  words: string[];
}

export function clientSearchTerms(text: string): ClientSearchTerms {
  const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const words = /^\d+$/.test(text) ? [] : [...new Set(text.split(/\s+/).filter(Boolean))].slice(0, MAX_WORDS);
  return { text, like, words };
}

/**
 * SQL selecting (id, name, text) of the clients of a business that match a search:
 * - every word of the search is word-similar (pg_trgm, threshold 0.6) to the client's name, so
 *   "rosa mitchell" finds Rosa Mitchell and not the 1,000 other Mitchells of a large business (the
 *   index intersects the words: a handful of rows to check instead of every Mitchell);
 * - or the name, phones and emails contain the search text (LIKE);
 * - and only when no client matched so (a misspelt word is less similar on its own than inside the
 *   whole name: "mitcell" scores 0.55 against "mitchell"), the whole text's similarity to the name.
 * `at` holds the caller's placeholders of the business id, `terms.text` and `terms.like`; `p` turns
 * each word into a new placeholder of the caller's statement.
 */
export function matchingClientsSql(terms: ClientSearchTerms, at: { business: string; text: string; like: string }, p: (value: unknown) => string): string {
  const business = at.business;
  const like = `${CLIENT_TEXT} LIKE ${at.like}::text`;
  const select = `SELECT cl.id, ${CLIENT_NAME} AS name, ${CLIENT_TEXT} AS text FROM clients cl WHERE cl.business_id = ${business}::text`;
  if (terms.words.length === 0) return `${select} AND ${like}`;
  // One word is the whole text (trimmed), and uses its placeholder.
  if (terms.words.length === 1 && terms.words[0] === terms.text) return `${select} AND (${CLIENT_NAME} %> ${at.text}::text OR ${like})`;
  const everyWord = terms.words.map((w) => `${CLIENT_NAME} %> ${p(w)}::text`).join(' AND ');
  return `WITH every_word AS MATERIALIZED (${select} AND ((${everyWord}) OR ${like}))
    SELECT * FROM every_word
    UNION ALL
    ${select} AND ${CLIENT_NAME} %> ${at.text}::text AND NOT EXISTS (SELECT 1 FROM every_word)`;
}
