/**
 * True when a statement failed on a unique index (PostgreSQL 23505), whether Prisma reports it as
 * P2002 (its own queries) or as a raw query's failure (P2010, the driver's code in `meta`), or pg
 * reports it directly.
 */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'P2002' || code === '23505') return true;
    const meta = (e as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } }).meta;
    if (meta?.driverAdapterError?.cause?.originalCode === '23505') return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}
