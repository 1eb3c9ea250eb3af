import type { TaskList } from 'graphile-worker';
import type { Deps } from '../domain/deps.js';

/**
 * Every graphile-worker task, by identifier. A task is a file in src/worker/tasks named after its
 * identifier; it asserts its payload and calls the domain. (The sending and onboarding issues add them.)
 */
export function taskList(_deps: Deps): TaskList {
  return {};
}
