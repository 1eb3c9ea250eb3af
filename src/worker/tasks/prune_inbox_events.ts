import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { pruneInboxEvents } from '../../domain/inbox/pruneInboxEvents.js';

/** Daily (see crontab in startWorker.ts): drops inbox events past their retention. */
export function prune_inbox_events(deps: Deps): Task {
  return async (_payload, helpers) => {
    const deleted = await pruneInboxEvents(deps);
    helpers.logger.info(`pruned ${deleted} inbox events`);
  };
}
