// Readiness of this process (GET /health/ready, on the main port and the metrics port): the
// database answers, every migration this build ships is applied, and, when the process runs a
// graphile-worker, its heartbeat is fresh; and the process is not draining (shutting down). One
// statement answers all three (selectReadiness), bounded by a short timeout.
import { selectReadiness } from '../db/sql/selectReadiness.js';
import type { Sql } from '../db/sqlHandle.js';

export interface ReadinessCheck {
  status: 'ok' | 'failed' | 'not_applicable';
  /** Why it failed (or why it does not apply). */
  detail?: string;
}

export interface ReadinessReport {
  status: 'ready' | 'not_ready' | 'draining';
  checks: { database: ReadinessCheck; migrations: ReadinessCheck; worker: ReadinessCheck };
}

export interface Readiness {
  /**
   * From now on this process answers 503 `draining` (shutdown: load balancers stop sending it new
   * requests while those in flight finish). There is no way back: a drained process exits.
   */
  setDraining(): void;
  readonly draining: boolean;
  /**
   * This process runs a graphile-worker (startWorker): readiness also needs its heartbeats fresh.
   * `workerIds` lists the ids it beats under (none yet: not ready).
   */
  watchWorker(workerIds: () => readonly string[]): void;
  check(): Promise<ReadinessReport>;
}

export interface ReadinessOptions {
  /** The migrations this build ships (prisma/migrations, read once at start). */
  expectedMigrations: readonly string[];
  /** Longest wait for the database's answer (default 2000 ms). */
  timeoutMs?: number;
}

export function createReadiness(sql: Sql, options: ReadinessOptions): Readiness {
  const timeoutMs = options.timeoutMs ?? 2_000;
  let draining = false;
  let workerIds: (() => readonly string[]) | null = null;
  let running: Promise<ReadinessReport> | null = null;
  return {
    setDraining() {
      draining = true;
    },
    get draining() {
      return draining;
    },
    watchWorker(ids) {
      workerIds = ids;
    },
    check() {
      // One check at a time: probes that arrive while one runs share its answer, so a flood of them
      // (the route is public and not rate limited) holds one pool connection at most, never a queue.
      running ??= checkNow().finally(() => (running = null));
      return running;
    },
  };

  async function checkNow(): Promise<ReadinessReport> {
    const ids = workerIds ? [...workerIds()] : [];
    let row;
    try {
      row = await withTimeout(selectReadiness(sql, ids), timeoutMs);
    } catch (err) {
      // The error's code, not its text: the route is public, and a driver's message may name the
      // database user or host.
      const code = (err as { code?: unknown }).code;
      const detail = `the database is unreachable (${typeof code === 'string' ? code : err instanceof Error && /within/.test(err.message) ? err.message : 'connection failed'})`;
      const unknown: ReadinessCheck = { status: 'failed', detail: 'not checked: the database is unreachable' };
      return report(draining, { database: { status: 'failed', detail }, migrations: unknown, worker: workerIds ? unknown : NO_WORKER });
    }
    const applied = new Set(row.applied);
    const missing = options.expectedMigrations.filter((name) => !applied.has(name));
    const migrations: ReadinessCheck = missing.length === 0 ? { status: 'ok' } : { status: 'failed', detail: `not applied: ${missing.join(', ')}` };
    return report(draining, { database: { status: 'ok' }, migrations, worker: workerIds ? workerCheck(ids, row.workers) : NO_WORKER });
  }
}

const NO_WORKER: ReadinessCheck = { status: 'not_applicable', detail: 'no graphile-worker runs in this process' };

function workerCheck(ids: readonly string[], beats: { id: string; fresh: boolean }[]): ReadinessCheck {
  if (ids.length === 0) return { status: 'failed', detail: 'the worker has not started' };
  const fresh = new Set(beats.filter((b) => b.fresh).map((b) => b.id));
  const stale = ids.filter((id) => !fresh.has(id));
  return stale.length === 0 ? { status: 'ok' } : { status: 'failed', detail: `heartbeat missing or past its deadline: ${stale.join(', ')}` };
}

function report(draining: boolean, checks: ReadinessReport['checks']): ReadinessReport {
  const failed = Object.values(checks).some((c) => c.status === 'failed');
  return { status: draining ? 'draining' : failed ? 'not_ready' : 'ready', checks };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => undefined); // settled later by the race; never unhandled
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
