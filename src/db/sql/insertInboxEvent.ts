import type { SqlExecutor } from './executor.js';

export interface NewInboxEvent {
  businessId: string;
  type: string;
  conversationId?: string | null;
  messageId?: string | null;
  payload?: Record<string, unknown>;
}

/**
 * Appends to the inbox event log inside the caller's transaction. The transaction-scoped advisory
 * lock per business, taken before the id is drawn, makes event ids commit in id order within a
 * business: a subscriber that has seen id N never later finds a committed id below N, so resuming
 * from a cursor has no gap. (Publish last in a transaction: the lock is held until COMMIT.)
 */
export async function insertInboxEvent(sql: SqlExecutor, event: NewInboxEvent): Promise<string> {
  const rows = await sql.query<{ id: string }>(
    `WITH lock AS (SELECT pg_advisory_xact_lock(hashtext('omega_inbox:' || $1::text)))
     INSERT INTO inbox_events (business_id, type, conversation_id, message_id, payload)
     SELECT $1::text, $2::text, $3::uuid, $4::uuid, $5::jsonb FROM lock
     RETURNING id::text AS id`,
    [event.businessId, event.type, event.conversationId ?? null, event.messageId ?? null, JSON.stringify(event.payload ?? {})],
  );
  const row = rows[0];
  if (!row) throw new Error('internal error: inbox event insert returned no row');
  return row.id;
}

/** Many events in one statement (e.g. "mark all read"), under the same per-business ordering lock. */
export async function insertInboxEvents(sql: SqlExecutor, businessId: string, events: Omit<NewInboxEvent, 'businessId'>[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows = await sql.query<{ n: number }>(
    `WITH lock AS (SELECT pg_advisory_xact_lock(hashtext('omega_inbox:' || $1::text))),
     ins AS (
       INSERT INTO inbox_events (business_id, type, conversation_id, message_id, payload)
       SELECT $1::text, e.type, e.conversation_id, e.message_id, e.payload
         FROM lock, jsonb_to_recordset($2::jsonb) AS e(type text, conversation_id uuid, message_id uuid, payload jsonb)
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [businessId, JSON.stringify(events.map((e) => ({ type: e.type, conversation_id: e.conversationId ?? null, message_id: e.messageId ?? null, payload: e.payload ?? {} })))],
  );
  return rows[0]?.n ?? 0;
}
