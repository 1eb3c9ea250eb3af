import type { Sql } from '../../db/sqlHandle.js';
import { insertInboxEvent, type NewInboxEvent } from '../../db/sql/insertInboxEvent.js';
import type { InboxEventType } from './inboxEventTypes.js';

/** Records an inbox event in the caller's transaction; subscribers everywhere see it at COMMIT. */
export function publishInboxEvent(sql: Sql, event: NewInboxEvent & { type: InboxEventType }): Promise<string> {
  return insertInboxEvent(sql, event);
}
