// Wakes graphile-worker's workers after send requests commit (addJobs queues jobs without a NOTIFY:
// see migration 20261206020000_ingest_indexes). The jobs of one event-loop turn, and those that
// arrive while a wake-up is in flight, go out in the next single NOTIFY, so a burst of commits
// costs one small autocommit statement per process, outside every request's transaction: a
// request's answer never waits for it. graphile-worker's listener reads `count` from the payload
// and nudges that many idle workers (graphile-worker 0.17.3, main.js "jobs:insert"). A wake-up
// lost (a crash right after COMMIT, a failed NOTIFY) only delays the jobs to the workers' next
// poll: workerSettings' pollInterval, 2 s.
import type { WakeWorkers } from '../db/sqlHandle.js';
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
  let pending = 0;
  let scheduled: NodeJS.Immediate | null = null;
  let sending = false;
  let sent: Promise<void> = Promise.resolve();
  let closed = false;

  const sendAll = async () => {
    sending = true;
    try {
      while (pending > 0) {
        const count = pending;
        pending = 0;
        try {
          await notify(JOBS_CHANNEL, JSON.stringify({ count }));
        } catch (err) {
          log.warn({ err, count }, 'could not wake the workers; they find the new jobs at their next poll');
        }
      }
    } finally {
      sending = false;
    }
  };
  const start = () => {
    scheduled = null;
    sent = sendAll();
  };
  const wake: WakeWorkers = (count) => {
    if (closed || count <= 0) return;
    pending += count;
    if (!scheduled && !sending) scheduled = setImmediate(start);
  };
  return {
    wake,
    async close() {
      closed = true;
      if (scheduled) {
        clearImmediate(scheduled);
        start();
      }
      await sent;
    },
  };
}
