import type { Sql } from '../sqlHandle.js';

export interface NewInboxEvent {
  businessId: string;
  type: string;
  conversationId?: string | null;
  messageId?: string | null;
  payload?: Record<string, unknown>;
}

/**
 * Appends to the inbox event log inside the caller's transaction. No lock: the row records its
 * transaction's id (column xid), and readers deliver in (xid, id) order only below the oldest
 * running transaction (selectInboxEvents), so concurrent writers of one business never wait for
 * each other. Subscribers are woken after COMMIT (eventsWritten).
 */
export async function insertInboxEvent(sql: Sql, event: NewInboxEvent): Promise<string> {
  const rows = await sql.query<{ id: string }>(
    `INSERT INTO inbox_events (business_id, type, conversation_id, message_id, payload)
     VALUES ($1::text, $2::text, $3::uuid, $4::uuid, $5::jsonb)
     RETURNING id::text AS id`,
    [event.businessId, event.type, event.conversationId ?? null, event.messageId ?? null, JSON.stringify(event.payload ?? {})],
  );
  const row = rows[0];
  if (!row) throw new Error('internal error: inbox event insert returned no row');
  sql.eventsWritten([event.businessId]);
  return row.id;
}

/** Many events in one statement (e.g. "mark all read"). */
export async function insertInboxEvents(sql: Sql, businessId: string, events: Omit<NewInboxEvent, 'businessId'>[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows = await sql.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO inbox_events (business_id, type, conversation_id, message_id, payload)
       SELECT $1::text, e.type, e.conversation_id, e.message_id, e.payload
         FROM jsonb_to_recordset($2::jsonb) AS e(type text, conversation_id uuid, message_id uuid, payload jsonb)
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [businessId, JSON.stringify(events.map((e) => ({ type: e.type, conversation_id: e.conversationId ?? null, message_id: e.messageId ?? null, payload: e.payload ?? {} })))],
  );
  sql.eventsWritten([businessId]);
  return rows[0]?.n ?? 0;
}
