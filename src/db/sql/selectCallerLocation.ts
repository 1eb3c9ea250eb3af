import type { Sql } from '../sqlHandle.js';

/**
 * The location with a number whose number a client should see when called: the one asked for, else
 * where the client last talked with the business, else the client's home location, else one of the
 * staff member's, else the business's oldest. Null when no location has a number.
 */
export async function selectCallerLocation(
  sql: Sql,
  businessId: string,
  query: { clientId: string; homeLocationId: string | null; staffLocationIds: string[]; asked: string | null },
): Promise<{ id: string; smsPhoneNumber: string | null } | null> {
  const rows = await sql.query<{ id: string; sms_phone_number: string | null }>(
    `SELECT l.id::text AS id, l.sms_phone_number
       FROM locations l
       LEFT JOIN conversations cv ON cv.location_id = l.id AND cv.client_id = $1::uuid
      WHERE l.business_id = $2::text AND l.sms_phone_number IS NOT NULL
      ORDER BY (l.id::text = $3::text) DESC NULLS LAST,
               cv.last_activity_at DESC NULLS LAST,
               (l.id::text = $4::text) DESC NULLS LAST,
               (l.id::text = ANY($5::text[])) DESC,
               l.created_at, l.id
      LIMIT 1`,
    [query.clientId, businessId, query.asked, query.homeLocationId, query.staffLocationIds],
  );
  const row = rows[0];
  return row ? { id: row.id, smsPhoneNumber: row.sms_phone_number } : null;
}
