import type { Prisma } from './prisma.js';
import type { Sql } from './sqlHandle.js';

/**
 * An open transaction of runTransaction: what domain steps take when they must commit together.
 * `prisma` for CRUD, `sql` for the statements of src/db/sql, both in the same transaction.
 */
export interface Tx {
  prisma: Prisma.TransactionClient;
  sql: Sql;
}
