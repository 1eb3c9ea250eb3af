// The one handle raw SQL runs on. Every function in src/db/sql takes a `Sql` first, whatever it runs
// on: the pool (autocommit: deps.sql), a pooled client inside pgTransaction, or a Prisma interactive
// transaction of runTransaction (tx.sql: the same transaction as the rows Prisma writes, which is how
// jobs and events commit together with their rows). A statement runs one way: `sql.query(statement,
// values)`, with positional, cast parameters; a NamedStatement is prepared once per pg connection.
import type pg from 'pg';
import type { Prisma } from './prisma.js';

/** Tells subscribers (of every process) that these businesses have new committed inbox events. */
export type AnnounceInboxEvents = (businessIds: readonly string[]) => void;

/**
 * A statement prepared under `name` on each pg connection (parsed and planned once per connection,
 * then PostgreSQL may keep a generic plan): for statements that run per send and cost to plan. In a
 * Prisma transaction it runs unprepared.
 */
export interface NamedStatement {
  name: string;
  text: string;
  /** Rows as arrays of column values (pg builds no objects: for wide rows read by position); pg only. */
  rowMode?: 'array';
}

export interface Sql {
  query<R>(statement: string | NamedStatement, values?: readonly unknown[]): Promise<R[]>;
  /**
   * Called by a statement that wrote inbox events of these businesses, once it has resolved: on the
   * pool they are committed and announced now; in a transaction, after its COMMIT (never after a
   * rollback). Without an announcer (scripts, tests on a bare pool) nobody is told; subscribers find
   * the events at their next timed re-read.
   */
  eventsWritten(businessIds: Iterable<string>): void;
  /**
   * Called by a statement that queued `count` graphile-worker jobs due now (addJobs, which sends no
   * NOTIFY itself): on the pool the workers are woken now; in a transaction, after its COMMIT
   * (never after a rollback). Handles without it (scripts, benchmarks' stand-ins) wake nobody: the
   * workers find the jobs at their next poll.
   */
  jobsQueued?(count: number): void;
}

/** Wakes graphile-worker's workers (of every process) for `count` new jobs; coalesced by the waker. */
export type WakeWorkers = (count: number) => void;

/** What a transaction's handle collects for after its COMMIT: the businesses with new inbox events, the jobs queued. */
export interface Queued {
  jobs: number;
}

function pgQuery(client: pg.Pool | pg.ClientBase) {
  return async <R>(statement: string | NamedStatement, values: readonly unknown[] = []): Promise<R[]> => {
    const config = typeof statement === 'string' ? { text: statement, values: values as unknown[] } : { ...statement, values: values as unknown[] };
    return (await client.query(config)).rows as R[];
  };
}

/**
 * Autocommit statements on the pool (or on a connection of one's own, such as a listener's);
 * `announce` wakes subscribers of the inbox events they write.
 */
export function pgSql(pool: pg.Pool | pg.ClientBase, announce: AnnounceInboxEvents = () => undefined, wakeWorkers: WakeWorkers = () => undefined): Sql {
  return {
    query: pgQuery(pool),
    eventsWritten(businessIds) {
      const ids = [...new Set(businessIds)];
      if (ids.length > 0) announce(ids);
    },
    jobsQueued(count) {
      if (count > 0) wakeWorkers(count);
    },
  };
}

/** Statements on a pg client in an open transaction; the businesses written are collected in `written`. */
export function clientSql(client: pg.ClientBase, written: Set<string>, queued: Queued = { jobs: 0 }): Sql {
  return {
    query: pgQuery(client),
    eventsWritten(businessIds) {
      for (const id of businessIds) written.add(id);
    },
    jobsQueued(count) {
      queued.jobs += count;
    },
  };
}

/** Statements in a Prisma interactive transaction; the businesses written are collected in `written`. */
export function prismaTxSql(tx: Prisma.TransactionClient, written: Set<string>, queued: Queued = { jobs: 0 }): Sql {
  return {
    query: <R>(statement: string | NamedStatement, values: readonly unknown[] = []) => {
      if (typeof statement !== 'string' && statement.rowMode) throw new Error(`internal error: ${statement.name} reads rows as arrays, which only a pg handle gives`);
      return tx.$queryRawUnsafe<R[]>(typeof statement === 'string' ? statement : statement.text, ...values);
    },
    eventsWritten(businessIds) {
      for (const id of businessIds) written.add(id);
    },
    jobsQueued(count) {
      queued.jobs += count;
    },
  };
}
