import type { TaskList } from 'graphile-worker';
import type { Deps } from '../domain/deps.js';
import { prune_inbox_events } from './tasks/prune_inbox_events.js';

/**
 * Every graphile-worker task, by identifier. A task is a file in src/worker/tasks named after its
 * identifier; it asserts its payload and calls the domain.
 */
export function taskList(deps: Deps): TaskList {
  return {
    prune_inbox_events: prune_inbox_events(deps),
  };
}

/** Periodic jobs (graphile-worker crontab syntax). */
export const CRONTAB = ['0 3 * * * prune_inbox_events ?max=1&jobKey=prune_inbox_events'].join('\n');
