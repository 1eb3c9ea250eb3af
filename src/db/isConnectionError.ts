/** True when an error means "cannot reach the database" rather than "the query was wrong". */
export function isConnectionError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    const message = e instanceof Error ? e.message : '';
    if (
      (typeof code === 'string' &&
        (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08006'].includes(code) ||
          code === 'P1001' ||
          code === 'P1017')) ||
      /Connection terminated|connection timeout|timeout exceeded when trying to connect|Can't reach database|Cannot use a pool after calling end/i.test(message)
    ) {
      return true;
    }
    e = (e as { originalError?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}
