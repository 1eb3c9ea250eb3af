// Inbox subscribers are woken by a NOTIFY that the writing process sends after COMMIT (never from
// inside the transaction: a notifying commit holds PostgreSQL's cluster-wide notify lock until its
// WAL flush, which serialised every writer). A statement that writes inbox events reports the
// businesses through eventsWritten(); inside runTransaction or pgTransaction they are announced once
// the transaction has committed (after a rollback, never), and after an autocommit statement on the
// pool at once. Subscribers also re-read on a slow timer, so an announcement lost in a crash between
// COMMIT and NOTIFY only delays delivery.
import type pg from 'pg';
import type { Pool } from './pool.js';
import type { Prisma, PrismaClient } from './prisma.js';
import type { Tx } from './tx.js';

/** Tells subscribers (of every process) that these businesses have new committed inbox events. */
export type AnnounceInboxEvents = (businessIds: readonly string[]) => void;

// Keyed by pool: SQL functions get only the pool, a client or an executor, and must announce without
// the domain threading a notifier through every call. createDeps registers its notifier for its pool.
const announcers = new WeakMap<Pool, AnnounceInboxEvents>();
// The businesses written in each open transaction, keyed by the transaction's handle (the Prisma
// transaction client, or the pg client of pgTransaction). A map by handle rather than an
// AsyncLocalStorage scope: on Node 20 the latter turns on promise tracking process-wide.
const openTransactions = new WeakMap<object, Set<string>>();

/** Makes `announce` the notifier of events written on `pool`; returns the unregister. */
export function setInboxAnnouncer(pool: Pool, announce: AnnounceInboxEvents): () => void {
  announcers.set(pool, announce);
  return () => {
    if (announcers.get(pool) === announce) announcers.delete(pool);
  };
}

/**
 * Called by a statement that wrote inbox events of `businessIds`, once it has resolved, with what it
 * ran on: the pool (or an executor of it) — autocommit, so the events are committed: announced
 * now; or a transaction of runTransaction/pgTransaction (its tx, pg client, or an executor of
 * either) — announced after its COMMIT. Anything else (a client committed by hand): nobody can tell
 * when the events commit; subscribers find them at their next timed re-read.
 */
export function eventsWritten(db: object, businessIds: Iterable<string>): void {
  const handle = 'handle' in db && typeof db.handle === 'object' && db.handle !== null ? db.handle : db;
  const announce = announcers.get(handle as Pool);
  if (announce) {
    const ids = [...new Set(businessIds)];
    if (ids.length > 0) announce(ids);
    return;
  }
  const open = openTransactions.get(handle);
  if (open) for (const id of businessIds) open.add(id);
}

/**
 * Runs `fn` as the body of the transaction whose handle is `handle`, collecting the businesses whose
 * events it writes; `transact` opens, commits or rolls back the transaction around that body.
 * After COMMIT the businesses are announced; after a rollback (a throw), nothing.
 */
async function announcedAfterCommit<H extends object, T>(pool: Pool, transact: (body: (handle: H) => Promise<T>) => Promise<T>, fn: (handle: H) => Promise<T>): Promise<T> {
  let written: Set<string> | undefined;
  const result = await transact(async (handle) => {
    written = new Set();
    openTransactions.set(handle, written);
    try {
      return await fn(handle);
    } finally {
      openTransactions.delete(handle);
    }
  });
  if (written && written.size > 0) announcers.get(pool)?.([...written]);
  return result;
}

export interface TransactionOptions {
  maxWait?: number;
  timeout?: number;
  isolationLevel?: Prisma.TransactionIsolationLevel;
}

/** prisma.$transaction(fn, options), announcing the inbox events written in it after COMMIT. */
export function runTransaction<T>(db: { prisma: PrismaClient; pool: Pool }, fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T> {
  return announcedAfterCommit<Tx, T>(db.pool, (body) => db.prisma.$transaction(body, options), fn);
}

/**
 * Runs `fn` in one transaction on one pooled connection (raw SQL, no Prisma): COMMIT, or ROLLBACK on
 * any error. Inbox events written in it are announced after COMMIT.
 */
export function pgTransaction<T>(pool: Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return announcedAfterCommit<pg.PoolClient, T>(pool, async (body) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await body(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }, fn);
}
