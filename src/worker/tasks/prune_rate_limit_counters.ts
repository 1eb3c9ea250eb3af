import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { pruneRateLimitCounters } from '../../domain/auth/pruneRateLimitCounters.js';

/** Every 10 minutes (crontab in taskList.ts): drops rate limit counters of keys gone quiet. */
export function prune_rate_limit_counters(deps: Deps): Task {
  return async (_payload, helpers) => {
    const deleted = await pruneRateLimitCounters(deps);
    helpers.logger.debug(`pruned ${deleted} rate limit counters`);
  };
}
