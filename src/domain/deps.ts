import type { Pool } from '../db/pool.js';
import type { PrismaClient } from '../db/prisma.js';
import type { InboxEventBus } from '../events/inboxEventBus.js';

/** What every domain operation may use; passed explicitly as the first argument. */
export interface Deps {
  prisma: PrismaClient;
  /** The shared pool, for raw SQL on hot paths and for enqueueing jobs. */
  pool: Pool;
  clock: Clock;
  /** Wakes inbox subscribers when their business has new events (LISTEN/NOTIFY). */
  events: InboxEventBus;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
