import type { Sql } from '../sqlHandle.js';

/** A row of sandbox_sms: a message the sandbox SMS provider accepted (src/channels/sandbox/sandboxOutbox.ts). */
export interface SandboxSmsRow {
  sid: string;
  businessId: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  numMedia: number;
  createdAt: Date;
}

/** Keeps a message the sandbox SMS provider accepted (committed when this resolves, on the pool). */
export async function insertSandboxSms(sql: Sql, sms: Omit<SandboxSmsRow, 'createdAt'>): Promise<void> {
  await sql.query(
    `INSERT INTO sandbox_sms (sid, business_id, to_address, from_address, messaging_service_sid, body, num_media)
     VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::int)`,
    [sms.sid, sms.businessId, sms.to, sms.from, sms.messagingServiceSid, sms.body, sms.numMedia],
  );
}
