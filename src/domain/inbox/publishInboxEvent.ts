import type { Sql } from '../../db/sqlHandle.js';
import { insertInboxEvent, type NewInboxEvent } from '../../db/sql/insertInboxEvent.js';

export type InboxEventType = 'message.created' | 'message.status_changed' | 'conversation.updated' | 'conversation.read' | 'client.updated';

/** Records an inbox event in the caller's transaction; subscribers everywhere see it at COMMIT. */
export function publishInboxEvent(sql: Sql, event: NewInboxEvent & { type: InboxEventType }): Promise<string> {
  return insertInboxEvent(sql, event);
}
