// Inbox subscribers are woken by a NOTIFY that the writing process sends after COMMIT (never from
// inside the transaction: a notifying commit holds PostgreSQL's cluster-wide notify lock until its
// WAL flush, which serialised every writer). A statement that writes inbox events reports the
// businesses through its handle's eventsWritten(); the handles these helpers give collect them, and
// once the transaction has committed (after a rollback, never) they go to the pool handle's
// announcer. Subscribers also re-read on a slow timer, so an announcement lost in a crash between
// COMMIT and NOTIFY only delays delivery. Send jobs go the same way (addJobs: no NOTIFY in the
// transaction; the handle counts them, and the pool handle's waker NOTIFYs the workers after COMMIT).
import type pg from 'pg';
import type { Pool } from './pool.js';
import type { Prisma, PrismaClient } from './prisma.js';
import { clientSql, prismaTxSql, type Sql } from './sqlHandle.js';
import type { Tx } from './tx.js';

export interface TransactionOptions {
  maxWait?: number;
  timeout?: number;
  isolationLevel?: Prisma.TransactionIsolationLevel;
}

/**
 * prisma.$transaction(fn, options): `fn` gets the transaction's Prisma client and its raw SQL
 * handle (tx.sql); the inbox events written in it are announced (db.sql) after COMMIT.
 */
export async function runTransaction<T>(db: { prisma: PrismaClient; sql: Sql }, fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T> {
  let written = new Set<string>();
  let queued = { jobs: 0 };
  const result = await db.prisma.$transaction((prisma) => {
    written = new Set();
    queued = { jobs: 0 };
    return fn({ prisma, sql: prismaTxSql(prisma, written, queued) });
  }, options);
  db.sql.eventsWritten(written);
  if (queued.jobs > 0) db.sql.jobsQueued?.(queued.jobs);
  return result;
}

/**
 * Runs `fn` in one transaction on one pooled connection (raw SQL, no Prisma): COMMIT, or ROLLBACK on
 * any error. Inbox events written in it are announced (db.sql) after COMMIT.
 */
export async function pgTransaction<T>(db: { pool: Pool; sql: Sql }, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const written = new Set<string>();
  const queued = { jobs: 0 };
  const client: pg.PoolClient = await db.pool.connect();
  let result: T;
  try {
    await client.query('BEGIN');
    result = await fn(clientSql(client, written, queued));
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  db.sql.eventsWritten(written);
  if (queued.jobs > 0) db.sql.jobsQueued?.(queued.jobs);
  return result;
}
