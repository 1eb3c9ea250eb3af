import { ValidationError } from '../errors.js';

/** A search text: 1 to 200 characters after trimming. */
export function checkSearchQuery(query: string): string {
  const text = query.trim();
  if (text.length === 0 || text.length > 200) {
    throw new ValidationError([{ type: 'value_error', loc: ['query'], msg: 'search text must be 1 to 200 characters', input: query }]);
  }
  return text;
}
