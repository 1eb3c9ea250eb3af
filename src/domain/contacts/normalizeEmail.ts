// Deliberately simple: one @, a dot in the domain, no spaces. Providers do the real checking.
const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]{2,}$/;

/** A lower-cased, trimmed email address, or null when it is not one. */
export function normalizeEmail(input: string): string | null {
  const email = input.trim().toLowerCase();
  return email.length <= 320 && EMAIL.test(email) ? email : null;
}
