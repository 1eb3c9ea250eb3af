/**
 * Text a client sent, as an error message may repeat it: at most `max` characters (with how long
 * it was), so an answer never grows with its input.
 */
export function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}
