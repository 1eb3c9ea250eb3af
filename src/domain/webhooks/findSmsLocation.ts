import type { Tx } from '../../db/tx.js';

export interface RoutedLocation {
  locationId: string;
  businessId: string;
  /** How it was found: the receiving number, or the messaging service of a pooled number. */
  via: 'number' | 'messaging_service';
}

/**
 * The location an inbound SMS (or call) is for. First by the receiving number (To =
 * Location.smsPhoneNumber, unique). Numbers of a messaging service's pool are not stored on any
 * location, so the MessagingServiceSid is the fallback; when several locations share one service,
 * the sender's latest conversation decides, then the sender's home location, then the oldest location.
 */
export async function findSmsLocation(tx: Tx, input: { to: string | null; messagingServiceSid: string | null; from: string | null }): Promise<RoutedLocation | null> {
  if (input.to) {
    const byNumber = await tx.location.findUnique({ where: { smsPhoneNumber: input.to }, select: { id: true, businessId: true } });
    if (byNumber) return { locationId: byNumber.id, businessId: byNumber.businessId, via: 'number' };
  }
  if (!input.messagingServiceSid) return null;
  const rows = await tx.$queryRaw<{ id: string; business_id: string }[]>`
    SELECT l.id::text AS id, l.business_id
      FROM locations l
      LEFT JOIN LATERAL (
        SELECT max(cv.last_activity_at) AS last_activity, bool_or(c.home_location_id = l.id) AS home
          FROM clients c
          LEFT JOIN conversations cv ON cv.client_id = c.id AND cv.location_id = l.id
         WHERE c.business_id = l.business_id AND ${input.from}::text IS NOT NULL AND c.phones @> ARRAY[${input.from}::text]
      ) sender ON true
     WHERE l.messaging_service_sid = ${input.messagingServiceSid}
     ORDER BY sender.last_activity DESC NULLS LAST, sender.home DESC NULLS LAST, l.created_at, l.id
     LIMIT 1`;
  const row = rows[0];
  return row ? { locationId: row.id, businessId: row.business_id, via: 'messaging_service' } : null;
}
