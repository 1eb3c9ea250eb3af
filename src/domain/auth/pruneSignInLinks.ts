import { deleteExpiredSignInLinks } from '../../db/sql/deleteExpiredSignInLinks.js';
import type { Deps } from '../deps.js';

/**
 * A link can no longer sign anyone in once it has expired: it is kept one more day (who was sent a
 * link, and whether it was opened, for a support question), then deleted.
 */
export function pruneSignInLinks(deps: Deps, keepSeconds = 86_400): Promise<number> {
  return deleteExpiredSignInLinks(deps.sql, keepSeconds);
}
