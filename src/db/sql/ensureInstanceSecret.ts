import { randomBytes } from 'node:crypto';
import type { Sql } from '../sqlHandle.js';

/**
 * The installation's secret called `name`: generated on first use and kept in instance_secrets, so
 * every process on this database (API, workers, restarts) reads the same value. Concurrent first
 * calls agree: the insert that loses the race reads the winner's value.
 */
export async function ensureInstanceSecret(sql: Sql, name: string): Promise<string> {
  // A racing insert that commits after this statement's snapshot is invisible to its SELECT: the
  // next attempt (new snapshot) sees it.
  for (let attempt = 0; attempt < 3; attempt++) {
    const value = await insertOrRead(sql, name);
    if (value !== undefined) return value;
  }
  throw new Error(`internal error: instance secret ${name} was neither inserted nor found`);
}

async function insertOrRead(sql: Sql, name: string): Promise<string | undefined> {
  const rows = await sql.query<{ value: string }>(
    `WITH inserted AS (
       INSERT INTO instance_secrets (name, value) VALUES ($1::text, $2::text)
       ON CONFLICT (name) DO NOTHING
       RETURNING value
     )
     SELECT value FROM inserted
     UNION ALL
     SELECT value FROM instance_secrets WHERE name = $1::text
     LIMIT 1`,
    [name, randomBytes(48).toString('base64url')],
  );
  return rows[0]?.value;
}
