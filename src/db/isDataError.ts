import { pgErrorCode } from './pgErrorCode.js';

/** Prisma's codes for a value the database refused as data: too long (P2000), invalid (P2006, P2007), not of the column's type (P2023). */
const PRISMA_DATA_CODES = new Set(['P2000', 'P2006', 'P2007', 'P2023']);

/**
 * True for PostgreSQL's "data exception" class (22xxx: invalid text for a uuid or timestamp, value
 * out of range, ...), however Prisma reports it. Input is validated before it reaches SQL; this is
 * the safety net that keeps a value that slipped through a 4xx instead of a 500.
 */
export function isDataError(err: unknown): boolean {
  if (pgErrorCode(err)?.startsWith('22')) return true;
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && PRISMA_DATA_CODES.has(code)) return true;
    e = (e as { originalError?: unknown; cause?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * What the database said about the value, for the client ("invalid input syntax for type uuid:
 * \"x\"", "value too long for type character varying(64)"): the last line of the innermost
 * message, which names the value and never anything of the server's.
 */
export function dataErrorDetail(err: unknown): string | null {
  let message: string | null = null;
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    if (e instanceof Error && e.message.trim()) message = e.message;
    e = (e as { originalError?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
  }
  const line = message
    ?.split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1)
    ?.replace(/^Invalid input value: /, '');
  return line ? line.slice(0, 200) : null;
}
