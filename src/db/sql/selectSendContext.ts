import type { Location } from '../../generated/prisma/client.js';
import type { Sql } from '../sqlHandle.js';

export type SendLocationRow = Pick<Location, 'id' | 'name' | 'externalId' | 'timeZone' | 'smsPhoneNumber' | 'messagingServiceSid' | 'emailFrom' | 'emailFromName'>;

export interface SendContext {
  time_zone: string;
  settings: unknown;
  locations: SendLocationRow[] | null;
  /** `idCount` fresh message ids (omega_uuid_v7). */
  ids: string[];
  /** The given staff ids that are staff of the business. */
  staff_ids: string[];
}

/**
 * What a batch of sends of one business needs, in one round trip: first the advisory locks of its
 * request ids (sorted by the caller), then the business's time zone and settings, its locations,
 * fresh message ids, and which of the given staff ids belong to it. Null: no such business.
 */
export async function selectSendContext(sql: Sql, businessId: string, query: { lockKeys: string[]; idCount: number; staffIds: string[] }): Promise<SendContext | null> {
  const rows = await sql.query<SendContext>(
    `SELECT (SELECT count(pg_advisory_xact_lock(hashtext(k))) FROM unnest($1::text[]) AS k) AS locks,
            b.time_zone, b.settings,
            (SELECT json_agg(json_build_object('id', l.id, 'name', l.name, 'externalId', l.external_id, 'timeZone', l.time_zone,
                      'smsPhoneNumber', l.sms_phone_number, 'messagingServiceSid', l.messaging_service_sid,
                      'emailFrom', l.email_from, 'emailFromName', l.email_from_name))
               FROM locations l WHERE l.business_id = b.id) AS locations,
            (SELECT array_agg(omega_uuid_v7()::text) FROM generate_series(1, $2::int)) AS ids,
            (SELECT coalesce(array_agg(s.id::text), '{}') FROM staff s WHERE s.business_id = b.id AND s.id = ANY($3::uuid[])) AS staff_ids
       FROM businesses b WHERE b.id = $4::text`,
    [query.lockKeys, query.idCount, query.staffIds, businessId],
  );
  return rows[0] ?? null;
}
