import type { Pool } from '../pool.js';

export interface InboxEventRow {
  id: string;
  business_id: string;
  type: string;
  conversation_id: string | null;
  message_id: string | null;
  payload: Record<string, unknown>;
  created_at: Date;
}

export async function selectInboxEvents(pool: Pool, businessId: string, afterId: string, limit: number): Promise<InboxEventRow[]> {
  const { rows } = await pool.query<InboxEventRow>(
    `SELECT id::text, business_id, type, conversation_id, message_id, payload, created_at
       FROM inbox_events
      WHERE business_id = $1::text AND id > $2::bigint
      ORDER BY id
      LIMIT $3::int`,
    [businessId, afterId, limit],
  );
  return rows;
}

export async function selectLatestInboxEventId(pool: Pool, businessId: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT coalesce(max(id), 0)::text AS id FROM inbox_events WHERE business_id = $1::text`,
    [businessId],
  );
  return rows[0]?.id ?? '0';
}
