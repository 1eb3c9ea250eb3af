import pg from 'pg';

export type Pool = pg.Pool;

// BIGINT (int8) columns come back as strings by default; our only int8 values are InboxEvent ids
// (cursors), which stay strings end to end. COUNT(*) results are cast to int in SQL.

/** The one pg.Pool of a process, shared by Prisma (via @prisma/adapter-pg) and graphile-worker. */
export function createPool(connectionString: string, max: number, onError: (err: Error) => void): Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    // Fail fast when the database is unreachable instead of queueing forever (health checks rely on it).
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'omega',
  });
  // A client losing its connection (database restart), idle or checked out, must not crash the process.
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}
