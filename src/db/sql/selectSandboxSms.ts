import type { SandboxSmsRow } from './insertSandboxSms.js';
import type { Sql } from '../sqlHandle.js';

/** The sandbox SMS provider's messages of a business to one recipient created on or after `since`, newest first (at most 1,000, as Twilio's list here). */
export async function selectSandboxSms(sql: Sql, query: { businessId: string; to: string; since: Date }): Promise<SandboxSmsRow[]> {
  const rows = await sql.query<SandboxSmsRow>(
    `SELECT sid, business_id AS "businessId", to_address AS "to", from_address AS "from", messaging_service_sid AS "messagingServiceSid",
            body, num_media AS "numMedia", created_at AS "createdAt"
       FROM sandbox_sms
      WHERE business_id = $1::text AND to_address = $2::text AND created_at >= $3::timestamptz
      ORDER BY created_at DESC, sid DESC
      LIMIT 1000`,
    [query.businessId, query.to, query.since.toISOString()],
  );
  return rows;
}
