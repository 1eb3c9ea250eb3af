import type pg from 'pg';
import type { Prisma } from '../prisma.js';

/**
 * The one shape our raw SQL functions run on, so the same statement works on the pool, on a pg
 * client inside a transaction, or inside a Prisma interactive transaction (same transaction as the
 * rows Prisma writes: that is how jobs and events commit together with their rows).
 */
export interface SqlExecutor {
  query<R>(text: string, values?: unknown[]): Promise<R[]>;
  /** What the statements run on (pool, client or Prisma transaction): how eventsWritten knows when they commit. */
  readonly handle: object;
}

export function pgExecutor(client: pg.Pool | pg.ClientBase): SqlExecutor {
  return {
    query: async <R>(text: string, values: unknown[] = []) => (await client.query(text, values)).rows as R[],
    handle: client,
  };
}

export function prismaExecutor(tx: Prisma.TransactionClient): SqlExecutor {
  return {
    query: <R>(text: string, values: unknown[] = []) => tx.$queryRawUnsafe<R[]>(text, ...values),
    handle: tx,
  };
}
