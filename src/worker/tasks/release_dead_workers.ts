import type { Task } from 'graphile-worker';
import { releaseDeadWorkers } from '../../db/sql/workerHeartbeats.js';
import type { Deps } from '../../domain/deps.js';

/**
 * Every minute (crontab in taskList.ts): the jobs of workers past the deadline of their last beat
 * (their process was killed or lost) are freed to run again, instead of after graphile-worker's 4
 * hours. A send whose provider call was in flight is then sent again (claimMessagesForSend).
 */
export function release_dead_workers(deps: Deps): Task {
  return async (_payload, helpers) => {
    const released = await releaseDeadWorkers(deps.sql);
    if (released.length) helpers.logger.warn(`released the jobs of ${released.length} dead worker(s): ${released.join(', ')}`);
  };
}
