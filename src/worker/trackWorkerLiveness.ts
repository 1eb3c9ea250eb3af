import { EventEmitter } from 'node:events';
import type { WorkerEvents } from 'graphile-worker';
import { beatWorkers, forgetWorkers } from '../db/sql/workerHeartbeats.js';
import type { Sql } from '../db/sqlHandle.js';

export interface WorkerLiveness {
  /** Pass to graphile-worker's run(): how the tracker learns the id its jobs are locked with. */
  events: WorkerEvents;
  /** The ids this process's workers beat under now (readiness checks their heartbeats). */
  workerIds(): string[];
  /** Stops beating and forgets this process's workers (a clean stop: graphile-worker released their jobs). */
  stop(): Promise<void>;
}

/**
 * Heartbeats of this process's graphile-worker in worker_heartbeats, six times per
 * `deadAfterSeconds` (each beat moves its deadline that far ahead), under the
 * id it locks jobs with (its worker pool's id, in graphile-worker 0.17), so that a worker that dies
 * (the process killed or lost) is noticed by its silence and its jobs are freed by
 * release_dead_workers in minutes, not graphile-worker's 4 hours. A failed beat is logged and tried
 * again at the next one.
 */
export function trackWorkerLiveness(sql: Sql, deadAfterSeconds: number, log: { warn(obj: object, msg: string): void }): WorkerLiveness {
  const events: WorkerEvents = new EventEmitter() as WorkerEvents;
  const alive = new Set<string>();
  const forgetting: Promise<void>[] = [];
  let stopped = false;
  const beat = () =>
    stopped ? Promise.resolve() : beatWorkers(sql, [...alive], deadAfterSeconds).catch((err: unknown) => log.warn({ err }, 'worker heartbeat not recorded; trying again at the next beat'));
  const forget = (ids: string[]) => {
    const done = forgetWorkers(sql, ids).catch((err: unknown) => log.warn({ err }, 'worker heartbeats not removed; they expire on their own'));
    forgetting.push(done);
    return done;
  };
  events.on('pool:create', ({ workerPool }) => {
    alive.add(workerPool.id);
    void beat();
  });
  events.on('pool:release', ({ workerPool }) => {
    alive.delete(workerPool.id);
    void forget([workerPool.id]);
  });
  const timer = setInterval(() => void beat(), (deadAfterSeconds * 1000) / 6);
  timer.unref();
  return {
    events,
    workerIds: () => [...alive],
    async stop() {
      stopped = true;
      clearInterval(timer);
      const ids = [...alive];
      alive.clear();
      if (ids.length) void forget(ids);
      await Promise.all(forgetting);
    },
  };
}
