import type { Sql } from '../sqlHandle.js';

export interface IdempotentMessageRow {
  id: string;
  conversation_id: string;
  client_id: string;
  to_address: string | null;
  status: string;
  scheduled_at: Date | null;
  idempotency_key: string;
}

/** The business's messages stored under these idempotency keys (sends repeated with one request id). */
export async function selectMessagesByIdempotencyKeys(sql: Sql, businessId: string, keys: string[]): Promise<IdempotentMessageRow[]> {
  return sql.query<IdempotentMessageRow>(
    `SELECT id::text, conversation_id::text, client_id::text, to_address, status::text, scheduled_at, idempotency_key
       FROM messages WHERE business_id = $1::text AND idempotency_key = ANY($2::text[])`,
    [businessId, keys],
  );
}
