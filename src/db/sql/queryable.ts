import type pg from 'pg';

/** The pool, or one of its clients inside a transaction: what hot-path statements run on. */
export type Queryable = pg.Pool | pg.ClientBase;

/**
 * Runs a statement as a named prepared statement: each connection parses and plans it once (then
 * PostgreSQL may keep a generic plan) instead of on every call. For statements that run per send
 * and are costly to plan (several CTEs); values stay positional parameters.
 */
export async function preparedQuery<R>(db: Queryable, name: string, text: string, values: unknown[]): Promise<R[]> {
  const result = await db.query({ name, text, values });
  return result.rows as R[];
}
