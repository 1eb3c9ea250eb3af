/**
 * What to look for in client names, phones and emails: lower-cased, and for anything that looks
 * like a phone number, its digits only ("(415) 555-0101" finds +14155550101).
 */
export function clientSearchText(query: string): string {
  const text = query.trim().toLowerCase();
  return /^[\d\s()+.-]+$/.test(text) && text.replace(/\D/g, '').length >= 3 ? text.replace(/\D/g, '') : text;
}
