import { selectServerVersion } from '../../db/sql/selectServerVersion.js';
import type { Deps } from '../deps.js';
import { UnavailableError } from '../errors.js';

export interface DatabaseHealth {
  status: 'ok';
  /** Round trip of one `SELECT 1`, in milliseconds. */
  latencyMs: number;
  serverVersion: string;
}

/** Readiness: one round trip to PostgreSQL, bounded in time so a dead database answers quickly. */
export async function checkDatabase(deps: Deps, timeoutMs = 2_000): Promise<DatabaseHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const query = selectServerVersion(deps.sql);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    query.catch(() => undefined); // settled later by the race; never unhandled
    const serverVersion = await Promise.race([query, timeout]);
    return { status: 'ok', latencyMs: Math.round((performance.now() - started) * 100) / 100, serverVersion };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new UnavailableError('DATABASE_UNAVAILABLE', `The database is unreachable: ${reason}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}
