import type { Prisma } from './prisma.js';

/** A Prisma interactive transaction: what domain steps take when they must commit together. */
export type Tx = Prisma.TransactionClient;
