import { deleteInboxEventsBefore } from '../../db/sql/deleteInboxEventsBefore.js';
import type { Deps } from '../deps.js';

/** How long subscribers can resume from an old cursor. Older events are pruned daily. */
export const INBOX_EVENT_RETENTION_DAYS = 30;

export async function pruneInboxEvents(deps: Deps, retentionDays = INBOX_EVENT_RETENTION_DAYS): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - retentionDays * 86_400_000);
  return deleteInboxEventsBefore(deps.sql, before);
}
