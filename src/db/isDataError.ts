/**
 * True for PostgreSQL's "data exception" class (22xxx: invalid text for a uuid or timestamp, value
 * out of range, ...). Input is validated before it reaches SQL; this is the safety net that keeps
 * a value that slipped through a 4xx instead of a 500.
 */
export function isDataError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return true;
    const meta = (e as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } }).meta;
    const original = meta?.driverAdapterError?.cause?.originalCode;
    if (typeof original === 'string' && /^22[0-9A-Z]{3}$/.test(original)) return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}
