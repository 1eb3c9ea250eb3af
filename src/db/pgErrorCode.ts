/**
 * PostgreSQL's SQLSTATE of a failed statement, however it reached us: from pg directly (`code`),
 * from Prisma's raw queries (P2010, the driver's code in `meta.driverAdapterError.cause`), or
 * wrapped as another error's `cause` (or a GraphQL error's `originalError`). Prisma's own unique violation (P2002) is reported as 23505.
 */
export function pgErrorCode(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'P2002') return '23505';
    // Prisma's own codes (P1000-P6999) have SQLSTATE's shape; PL/pgSQL's class is P0.
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^P[1-9]/.test(code)) return code;
    const meta = (e as { meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } } }).meta;
    const original = meta?.driverAdapterError?.cause?.originalCode ?? meta?.code;
    if (typeof original === 'string' && /^[0-9A-Z]{5}$/.test(original)) return original;
    e = (e as { originalError?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
  }
  return null;
}
