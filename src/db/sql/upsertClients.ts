import type { Sql } from '../sqlHandle.js';

export interface ClientRow {
  external_id: string;
  first_name: string | null;
  last_name: string | null;
  /** E.164, deduplicated. */
  phones: string[];
  /** Lower case, deduplicated. */
  emails: string[];
  home_location_id: string | null;
  type: string | null;
  groups: string[];
}

/**
 * Inserts or updates a batch of clients by (business, external id) in one statement. An update
 * takes the imported values and keeps names and home location the import leaves empty. Phones and
 * emails: the imported ones first, then those the client was reached on since (the previous
 * import's values, remembered in metadata.imported, are replaced, not kept). Consent (opt-out,
 * suppression) is never touched. Returns how many rows were created and updated.
 */
export async function upsertClients(sql: Sql, businessId: string, rows: ClientRow[]): Promise<{ created: number; updated: number }> {
  const result = await sql.query<{ created: number; updated: number }>(
    `WITH upserted AS (
       INSERT INTO clients AS c (business_id, external_id, first_name, last_name, phones, emails, home_location_id, type, groups, metadata)
       SELECT $1::text, r.external_id, r.first_name, r.last_name, r.phones, r.emails, r.home_location_id, r.type, r.groups,
              jsonb_build_object('imported', jsonb_build_object('phones', to_jsonb(r.phones), 'emails', to_jsonb(r.emails)))
         FROM jsonb_to_recordset($2::jsonb) AS r(
           external_id text, first_name text, last_name text, phones text[], emails text[], home_location_id uuid, type text, groups text[])
       ON CONFLICT (business_id, external_id) DO UPDATE SET
         first_name = coalesce(EXCLUDED.first_name, c.first_name),
         last_name = coalesce(EXCLUDED.last_name, c.last_name),
         phones = EXCLUDED.phones || ARRAY(
           SELECT p FROM unnest(c.phones) AS p
            WHERE p <> ALL (EXCLUDED.phones) AND NOT coalesce(c.metadata -> 'imported' -> 'phones', '[]'::jsonb) ? p),
         emails = EXCLUDED.emails || ARRAY(
           SELECT e FROM unnest(c.emails) AS e
            WHERE e <> ALL (EXCLUDED.emails) AND NOT coalesce(c.metadata -> 'imported' -> 'emails', '[]'::jsonb) ? e),
         metadata = c.metadata || EXCLUDED.metadata,
         home_location_id = coalesce(EXCLUDED.home_location_id, c.home_location_id),
         type = coalesce(EXCLUDED.type, c.type),
         groups = EXCLUDED.groups,
         updated_at = now()
       RETURNING (xmax = 0) AS inserted
     )
     SELECT count(*) FILTER (WHERE inserted)::int AS created, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM upserted`,
    [businessId, JSON.stringify(rows)],
  );
  return result[0] ?? { created: 0, updated: 0 };
}
