import type pg from 'pg';
import type { Pool } from './pool.js';

/** Runs `fn` in one transaction on one pooled connection (raw SQL, no Prisma): COMMIT, or ROLLBACK on any error. */
export async function pgTransaction<T>(pool: Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
