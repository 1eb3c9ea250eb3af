import type { MessageStatus } from '../../generated/prisma/enums.js';
import type { Sql } from '../sqlHandle.js';

export interface RetryableMessageRow {
  id: string;
  channel: string;
  direction: string;
  status: MessageStatus;
  attempts: number;
  conversation_id: string;
  error_code: string | null;
  error_message: string | null;
  sms_opt_out: boolean;
  email_suppressed: boolean;
}

/** Locks a message of the business (FOR UPDATE) and reads it with its client's consent; null if absent. */
export async function lockMessageForRetry(sql: Sql, businessId: string, messageId: string): Promise<RetryableMessageRow | null> {
  const rows = await sql.query<RetryableMessageRow>(
    `SELECT m.id::text, m.channel::text, m.direction::text, m.status, m.attempts, m.conversation_id::text, m.error_code, m.error_message,
            c.sms_opt_out, c.email_suppressed
       FROM messages m JOIN clients c ON c.id = m.client_id
      WHERE m.id = $1::uuid AND m.business_id = $2::text
        FOR UPDATE OF m`,
    [messageId, businessId],
  );
  return rows[0] ?? null;
}
