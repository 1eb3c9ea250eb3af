import type { Client } from '../../generated/prisma/client.js';
import type { Sql } from '../sqlHandle.js';

// The statements of findOrCreateClients (src/domain/clients): the contacts' locks, one read, and one
// write of the new clients and of known ones' new phones/emails.

const columns = (t: string) => `${t}.id, ${t}.business_id AS "businessId", ${t}.external_id AS "externalId",
  ${t}.first_name AS "firstName", ${t}.last_name AS "lastName", ${t}.phones, ${t}.emails, ${t}.home_location_id AS "homeLocationId",
  ${t}.type, ${t}.groups, ${t}.sms_opt_out AS "smsOptOut", ${t}.sms_opt_out_at AS "smsOptOutAt", ${t}.email_suppressed AS "emailSuppressed",
  ${t}.email_suppressed_at AS "emailSuppressedAt", ${t}.email_suppression_reason AS "emailSuppressionReason", ${t}.metadata,
  ${t}.notes, ${t}.merged_into_id AS "mergedIntoId", ${t}.merged_at AS "mergedAt",
  ${t}.created_at AS "createdAt", ${t}.updated_at AS "updatedAt"`;

// One lock per contact, all in one statement, in the order of the lock ids: any two callers take
// their common locks in the same order (no deadlock). pg_advisory_xact_lock is volatile, so it is
// evaluated after the sort.
const LOCK = `
SELECT count(*)::int AS locks
  FROM (SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS k) AS keys ORDER BY h) AS locked`;

// Oldest first: a phone or email shared by several clients belongs to the oldest.
const READ = `
SELECT ${columns('c')}
  FROM clients c
 WHERE c.business_id = ANY($1::text[])
   AND (c.id = ANY($2::uuid[]) OR c.external_id = ANY($3::text[]) OR c.phones && $4::text[] OR c.emails && $5::text[])
 ORDER BY c.created_at, c.id`;

// The new clients and the new phones/emails of known ones in one statement. The ids are drawn
// first so each inserted row can be matched to its input (RETURNING sees only the table's columns).
// Phones and emails are appended here rather than set from the row read, so one that another
// transaction added meanwhile is kept.
const WRITE = `
WITH new AS (
  SELECT omega_uuid_v7() AS id, n.*
    FROM json_to_recordset($1::json) AS n(ord int, business_id text, external_id text, first_name text, last_name text,
                                          phones text[], emails text[], home_location_id uuid)
), ins AS (
  INSERT INTO clients (id, business_id, external_id, first_name, last_name, phones, emails, home_location_id, created_at, updated_at)
  SELECT id, business_id, external_id, first_name, last_name, phones, emails, home_location_id, $3::timestamptz, $3::timestamptz FROM new
  RETURNING *
), upd AS (
  UPDATE clients c
     SET phones = c.phones || ARRAY(SELECT x.v FROM unnest(a.phones) WITH ORDINALITY AS x(v, n) WHERE x.v <> ALL (c.phones) ORDER BY x.n),
         emails = c.emails || ARRAY(SELECT x.v FROM unnest(a.emails) WITH ORDINALITY AS x(v, n) WHERE x.v <> ALL (c.emails) ORDER BY x.n),
         updated_at = $3::timestamptz
    FROM json_to_recordset($2::json) AS a(id uuid, phones text[], emails text[])
   WHERE c.id = a.id
  RETURNING c.*
)
SELECT new.ord, ${columns('ins')} FROM ins JOIN new ON new.id = ins.id
UNION ALL
SELECT NULL, ${columns('upd')} FROM upd`;

/** Takes the advisory locks of these keys, each once, in one sorted statement. */
export async function lockClientKeys(sql: Sql, keys: string[]): Promise<void> {
  if (keys.length > 0) await sql.query(LOCK, [keys]);
}

/** The clients of these businesses with any of these ids, external ids, phones or emails, oldest first. */
export async function selectClientsByContact(sql: Sql, q: { businessIds: string[]; ids: string[]; externalIds: string[]; phones: string[]; emails: string[] }): Promise<Client[]> {
  return sql.query<Client>(READ, [q.businessIds, q.ids, q.externalIds, q.phones, q.emails]);
}

export interface NewClientRow {
  ord: number;
  business_id: string;
  external_id: string | null;
  first_name: string | null;
  last_name: string | null;
  phones: string[];
  emails: string[];
  home_location_id: string | null;
}

/**
 * Inserts the new clients and appends new phones/emails to known ones, stamped `at`; the rows
 * written, each new one with the `ord` of its input (updated ones: null).
 */
export async function writeClients(sql: Sql, inserts: NewClientRow[], appends: { id: string; phones: string[]; emails: string[] }[], at: Date): Promise<(Client & { ord: number | null })[]> {
  return sql.query<Client & { ord: number | null }>(WRITE, [JSON.stringify(inserts), JSON.stringify(appends), at]);
}
