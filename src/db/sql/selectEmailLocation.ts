import type { Sql } from '../sqlHandle.js';

/** The location whose address is the first of `recipients` (lower-cased) that is one; null if none. */
export async function selectEmailLocation(sql: Sql, recipients: string[]): Promise<{ id: string; businessId: string; emailFrom: string } | null> {
  const rows = await sql.query<{ id: string; business_id: string; email_from: string }>(
    `SELECT l.id::text AS id, l.business_id, lower(l.email_from) AS email_from
       FROM locations l
       JOIN unnest($1::text[]) WITH ORDINALITY AS r(address, n) ON lower(l.email_from) = r.address
      ORDER BY r.n, l.created_at, l.id
      LIMIT 1`,
    [recipients],
  );
  const row = rows[0];
  return row ? { id: row.id, businessId: row.business_id, emailFrom: row.email_from } : null;
}
