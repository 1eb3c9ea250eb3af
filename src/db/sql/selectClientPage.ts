import type { Sql } from '../sqlHandle.js';
import { CLIENT_NAME, CLIENT_TEXT, clientSearchTerms, matchingClientsSql } from './matchingClients.js';

export interface ClientListFilter {
  /** Name (partial or misspelt: matchingClientsSql), or part of a name, phone or email. */
  search?: string;
  type?: string;
  group?: string;
  homeLocationId?: string;
  externalId?: string;
  smsOptOut?: boolean;
  emailSuppressed?: boolean;
}

const NAME_KEY = `lower(coalesce(cl.last_name, '')), lower(coalesce(cl.first_name, '')), cl.id`;

function build(businessId: string, filter: ClientListFilter) {
  const values: unknown[] = [businessId];
  const p = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  // Merged clients (mergeClients) are gone from lists and search: their id answers with a pointer.
  const clauses = ['cl.business_id = $1::text', 'cl.merged_into_id IS NULL'];
  if (filter.type) clauses.push(`cl.type = ${p(filter.type)}::text`);
  if (filter.group) clauses.push(`cl.groups @> ARRAY[${p(filter.group)}::text]`);
  if (filter.homeLocationId) clauses.push(`cl.home_location_id = ${p(filter.homeLocationId)}::uuid`);
  if (filter.externalId) clauses.push(`cl.external_id = ${p(filter.externalId)}::text`);
  if (filter.smsOptOut !== undefined) clauses.push(`cl.sms_opt_out = ${p(filter.smsOptOut)}::boolean`);
  if (filter.emailSuppressed !== undefined) clauses.push(`cl.email_suppressed = ${p(filter.emailSuppressed)}::boolean`);
  let rank: string | null = null;
  if (filter.search) {
    const terms = clientSearchTerms(filter.search.toLowerCase());
    // (A phone number has no words: its text is then no parameter, as PostgreSQL refuses unused ones.)
    const at = { business: '$1', like: p(terms.like), text: terms.words.length ? p(terms.text) : '' };
    clauses.push(`cl.id IN (SELECT mc.id FROM (${matchingClientsSql(terms, at, p)}) mc)`);
    // Substring matches first, then by the name's similarity to the whole text.
    rank = terms.words.length === 0 ? NAME_KEY : `(${CLIENT_TEXT} LIKE ${at.like}::text) DESC, word_similarity(${at.text}::text, ${CLIENT_NAME}) DESC, cl.id`;
  }
  return { values, p, clauses, rank };
}

/**
 * One page of a business's clients. Without search: by last name, first name, id (keyset).
 * With search (matchingClientsSql): best match first, offset paging; a phone number's matches by name.
 */
export async function selectClientPage(sql: Sql, businessId: string, filter: ClientListFilter, page: { limit: number; offset: number; afterId?: string }): Promise<string[]> {
  const { values, p, clauses, rank } = build(businessId, filter);
  const order = rank ?? NAME_KEY;
  if (page.afterId && order === NAME_KEY) {
    clauses.push(`(${NAME_KEY}) > (SELECT lower(coalesce(k.last_name, '')), lower(coalesce(k.first_name, '')), k.id FROM clients k WHERE k.id = ${p(page.afterId)}::uuid)`);
    const limit = p(page.limit);
    const rows = await sql.query<{ id: string }>(`SELECT cl.id::text AS id FROM clients cl WHERE ${clauses.join(' AND ')} ORDER BY ${order} LIMIT ${limit}::int`, values);
    return rows.map((r) => r.id);
  }
  if (page.afterId) {
    // Ranked search: the rows after the cursor's position in the same ranking.
    const after = p(page.afterId);
    const limit = p(page.limit);
    const rows = await sql.query<{ id: string }>(
      `WITH ranked AS (SELECT cl.id, row_number() OVER (ORDER BY ${order}) AS rn FROM clients cl WHERE ${clauses.join(' AND ')})
       SELECT id::text AS id FROM ranked WHERE rn > coalesce((SELECT rn FROM ranked WHERE id = ${after}::uuid), 0) ORDER BY rn LIMIT ${limit}::int`,
      values,
    );
    return rows.map((r) => r.id);
  }
  const limit = p(page.limit);
  const off = p(page.offset);
  const rows = await sql.query<{ id: string }>(`SELECT cl.id::text AS id FROM clients cl WHERE ${clauses.join(' AND ')} ORDER BY ${order} LIMIT ${limit}::int OFFSET ${off}::int`, values);
  return rows.map((r) => r.id);
}

export async function countClients(sql: Sql, businessId: string, filter: ClientListFilter): Promise<number> {
  const { values, clauses } = build(businessId, filter);
  const rows = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM clients cl WHERE ${clauses.join(' AND ')}`, values);
  return rows[0]?.n ?? 0;
}
