import type { Sql } from '../sqlHandle.js';

/**
 * Among the locations on a messaging service, the one an inbound SMS from `from` is for: the
 * sender's latest conversation decides, then the sender's home location, then the oldest location.
 */
export async function selectServiceLocation(sql: Sql, messagingServiceSid: string, from: string | null): Promise<{ id: string; business_id: string } | null> {
  const rows = await sql.query<{ id: string; business_id: string }>(
    `SELECT l.id::text AS id, l.business_id
       FROM locations l
       LEFT JOIN LATERAL (
         SELECT max(cv.last_activity_at) AS last_activity, bool_or(c.home_location_id = l.id) AS home
           FROM clients c
           LEFT JOIN conversations cv ON cv.client_id = c.id AND cv.location_id = l.id
          WHERE c.business_id = l.business_id AND $1::text IS NOT NULL AND c.phones @> ARRAY[$1::text]
       ) sender ON true
      WHERE l.messaging_service_sid = $2::text
      ORDER BY sender.last_activity DESC NULLS LAST, sender.home DESC NULLS LAST, l.created_at, l.id
      LIMIT 1`,
    [from, messagingServiceSid],
  );
  return rows[0] ?? null;
}
