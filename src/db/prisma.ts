import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Pool } from './pool.js';

export type { PrismaClient };
export { Prisma } from '../generated/prisma/client.js';

/** A Prisma client over the process's shared pool (the pool stays owned by the caller). */
export function createPrisma(pool: Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}
