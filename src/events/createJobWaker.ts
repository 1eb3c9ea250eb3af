// Wakes graphile-worker's workers after send requests commit (addJobs queues jobs without a NOTIFY:
// see migration 20261206020000_ingest_indexes). The jobs of one event-loop turn, and those that
// arrive while a wake-up is in flight, go out in the next single NOTIFY, so a burst of commits
// costs one small autocommit statement per process, outside every request's transaction: a
// request's answer never waits for it. graphile-worker's listener reads `count` from the payload
// and nudges that many idle workers (graphile-worker 0.17.3, main.js "jobs:insert"). A wake-up
// lost (a crash right after COMMIT, a failed NOTIFY) only delays the jobs to the workers' next
// poll: workerSettings' pollInterval, 2 s.
import type { WakeWorkers } from '../db/sqlHandle.js';
import { createCoalescer } from './createCoalescer.js';
import type { BusLogger } from './inboxEventBus.js';

/** graphile-worker's channel (0.17.3: LISTEN "jobs:insert"). */
export const JOBS_CHANNEL = 'jobs:insert';

export interface JobWaker {
  wake: WakeWorkers;
  /** Sends what is pending; later wake-ups are dropped. */
  close(): Promise<void>;
}

/** `notify` NOTIFYs in a transaction of its own (createDeps: notifyChannel on the pool). */
export function createJobWaker(notify: (channel: string, payload: string) => Promise<unknown>, log: BusLogger): JobWaker {
  const coalescer = createCoalescer<number, number>({
    empty: () => 0,
    add: (pending, count) => pending + count,
    isEmpty: (pending) => pending <= 0,
    send: (count) => notify(JOBS_CHANNEL, JSON.stringify({ count })),
    onError: (err, count) => log.warn({ err, count }, 'could not wake the workers; they find the new jobs at their next poll'),
  });
  return {
    wake: (count) => {
      if (count > 0) coalescer.push(count);
    },
    close: () => coalescer.close(),
  };
}
