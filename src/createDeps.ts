import type { Pool } from './db/pool.js';
import { createPrisma } from './db/prisma.js';
import { systemClock, type Clock, type Deps } from './domain/deps.js';
import { startInboxEventBus, type BusLogger } from './events/inboxEventBus.js';

/** The domain's dependencies over an open pool. close() releases what this created (not the pool). */
export async function createDeps(
  db: { url: string; pool: Pool },
  log: BusLogger,
  clock: Clock = systemClock,
): Promise<Deps & { close(): Promise<void> }> {
  const prisma = createPrisma(db.pool);
  const events = await startInboxEventBus(db.url, log);
  return {
    prisma,
    pool: db.pool,
    clock,
    events,
    async close() {
      await events.close();
      await prisma.$disconnect();
    },
  };
}
