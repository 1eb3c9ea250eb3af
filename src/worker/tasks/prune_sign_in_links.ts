import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { pruneSignInLinks } from '../../domain/auth/pruneSignInLinks.js';

/** Every hour (crontab in taskList.ts): deletes sign-in links a day past their expiry. */
export function prune_sign_in_links(deps: Deps): Task {
  return async (_payload, helpers) => {
    const deleted = await pruneSignInLinks(deps);
    helpers.logger.debug(`pruned ${deleted} sign-in links`);
  };
}
