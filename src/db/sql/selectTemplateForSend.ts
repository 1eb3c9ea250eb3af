import type { Sql } from '../sqlHandle.js';

export interface TemplateForSendRow {
  id: string;
  channel: string;
  subject: string | null;
  body: string;
  business_name: string;
  staff_first_name: string | null;
}

/** A saved reply of the business, with the business's name and the sending staff member's first name: what a templated send needs once per request, in one statement. Null: no such reply in the business. */
export async function selectTemplateForSend(sql: Sql, businessId: string, savedReplyId: string, staffId: string | null): Promise<TemplateForSendRow | null> {
  const rows = await sql.query<TemplateForSendRow>(
    `SELECT r.id::text AS id, r.channel, r.subject, r.body, b.name AS business_name,
            (SELECT s.first_name FROM staff s WHERE s.id = $3::uuid AND s.business_id = b.id) AS staff_first_name
       FROM saved_replies r JOIN businesses b ON b.id = r.business_id
      WHERE r.id = $1::uuid AND r.business_id = $2::text`,
    [savedReplyId, businessId, staffId],
  );
  return rows[0] ?? null;
}
