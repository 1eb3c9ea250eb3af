import type { Client } from '../../generated/prisma/client.js';
import { prismaExecutor } from '../../db/sql/executor.js';
import type { Tx } from '../../db/tx.js';
import { NotFoundError, ValidationError } from '../errors.js';

/** How a caller names a client: by Omega id, by its own external id, or by a phone/email. */
export interface ClientRef {
  businessId: string;
  clientId?: string | null;
  externalId?: string | null;
  /** E.164 (normalise at the edge with normalizePhone). */
  phone?: string | null;
  /** Lower-cased (normalizeEmail). */
  email?: string | null;
  /** Used only when the client is created. */
  firstName?: string | null;
  lastName?: string | null;
  homeLocationId?: string | null;
}

export interface FoundClient {
  client: Client;
  created: boolean;
}

/** The one key a ref is looked up by: the first of Omega id, external id, phone, email. */
type Lookup = { by: 'id' | 'ext' | 'phone' | 'email'; value: string };

/** A client as this call leaves it: a row read (perhaps with phones or emails to append), or one to create. */
interface Planned {
  /** The row read; null for a client this call creates. */
  existing: Client | null;
  /** Of a client this call creates: the ref that named it first (names, home location). */
  creator: ClientRef | null;
  businessId: string;
  externalId: string | null;
  /** Only ever appended to, so what an existing client gains is the tail beyond its row's. */
  phones: string[];
  emails: string[];
}

const columns = (t: string) => `${t}.id, ${t}.business_id AS "businessId", ${t}.external_id AS "externalId",
  ${t}.first_name AS "firstName", ${t}.last_name AS "lastName", ${t}.phones, ${t}.emails, ${t}.home_location_id AS "homeLocationId",
  ${t}.type, ${t}.groups, ${t}.sms_opt_out AS "smsOptOut", ${t}.sms_opt_out_at AS "smsOptOutAt", ${t}.email_suppressed AS "emailSuppressed",
  ${t}.email_suppressed_at AS "emailSuppressedAt", ${t}.email_suppression_reason AS "emailSuppressionReason", ${t}.metadata,
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

/**
 * Finds the clients messages are for, creating those unknown (first contact from a new number or
 * address), as if findOrCreateClient ran for each ref in order, in at most three statements: the
 * contacts' locks, one read, and one write of the new clients and of known ones' new phones/emails.
 * Lookup order per ref: Omega id, external id, phone, email. Runs inside the caller's transaction;
 * a per-business advisory lock on each contact makes concurrent first contacts from one number
 * create one client, not two. Refs naming the same contact get the same client; every ref gets its
 * client as this call leaves it.
 */
export async function findOrCreateClients(tx: Tx, refs: ClientRef[]): Promise<FoundClient[]> {
  if (refs.length === 0) return [];
  const lookups = refs.map(lookupOf);
  const sql = prismaExecutor(tx);
  // A separate, earlier statement than the read: under READ COMMITTED each statement reads a
  // snapshot taken when it starts, so the read sees what a previous holder of a lock committed.
  const lockKeys = refs.flatMap((ref, i) => (lookups[i]!.by === 'id' ? [] : [`omega_client:${ref.businessId}:${lookups[i]!.by}:${lookups[i]!.value}`]));
  if (lockKeys.length) await sql.query(LOCK, [lockKeys]);
  const valuesBy = (by: Lookup['by']) => [...new Set(lookups.filter((l) => l.by === by).map((l) => l.value))];
  const rows = await sql.query<Client>(READ, [[...new Set(refs.map((r) => r.businessId))], valuesBy('id'), valuesBy('ext'), valuesBy('phone'), valuesBy('email')]);

  const planned = rows.map((row): Planned => ({ existing: row, creator: null, businessId: row.businessId, externalId: row.externalId, phones: [...row.phones], emails: [...row.emails] }));
  const picks = refs.map((ref, i) => pick(planned, ref, lookups[i]!));
  const written = await write(tx, planned);
  return picks.map(({ planned: p, created }) => ({ client: written.get(p) ?? p.existing!, created }));
}

function lookupOf(ref: ClientRef): Lookup {
  if (ref.clientId) return { by: 'id', value: ref.clientId };
  if (ref.externalId) return { by: 'ext', value: ref.externalId };
  if (ref.phone) return { by: 'phone', value: ref.phone };
  if (ref.email) return { by: 'email', value: ref.email };
  throw new ValidationError([{ type: 'missing', loc: ['client'], msg: 'Name the client: client_id, client_external_id, a phone number or an email address' }]);
}

/**
 * The client of one ref among those read or planned so far (oldest first, as the read returns
 * them, then in the order planned), adding a new client or a new phone/email to `planned`.
 */
function pick(planned: Planned[], ref: ClientRef, lookup: Lookup): { planned: Planned; created: boolean } {
  const found = planned.find((p) => p.businessId === ref.businessId && matches(p, lookup));
  if (lookup.by === 'id') {
    if (!found) throw new NotFoundError('CLIENT_NOT_FOUND', `No client ${ref.clientId} in business ${JSON.stringify(ref.businessId)}.`);
    return { planned: found, created: false };
  }
  if (found) {
    // A known client reached on a new number or address keeps it for next time.
    if (ref.phone && !found.phones.includes(ref.phone)) found.phones.push(ref.phone);
    if (ref.email && !found.emails.includes(ref.email)) found.emails.push(ref.email);
    return { planned: found, created: false };
  }
  const created: Planned = {
    existing: null,
    creator: ref,
    businessId: ref.businessId,
    externalId: ref.externalId ?? null,
    phones: ref.phone ? [ref.phone] : [],
    emails: ref.email ? [ref.email] : [],
  };
  planned.push(created);
  return { planned: created, created: true };
}

function matches(p: Planned, lookup: Lookup): boolean {
  switch (lookup.by) {
    case 'id':
      return p.existing?.id === lookup.value;
    case 'ext':
      return p.externalId === lookup.value;
    case 'phone':
      return p.phones.includes(lookup.value);
    case 'email':
      return p.emails.includes(lookup.value);
  }
}

/** Inserts the planned new clients and appends known ones' new phones/emails; the rows written, by plan. */
async function write(tx: Tx, planned: Planned[]): Promise<Map<Planned, Client>> {
  const inserts = planned.filter((p) => !p.existing);
  const updates = planned.flatMap((p) => {
    const row = p.existing;
    return row && (p.phones.length > row.phones.length || p.emails.length > row.emails.length)
      ? [{ planned: p, id: row.id, phones: p.phones.slice(row.phones.length), emails: p.emails.slice(row.emails.length) }]
      : [];
  });
  if (inserts.length === 0 && updates.length === 0) return new Map();
  const newRows = inserts.map((p, ord) => ({
    ord,
    business_id: p.businessId,
    external_id: p.externalId,
    first_name: p.creator?.firstName ?? null,
    last_name: p.creator?.lastName ?? null,
    phones: p.phones,
    emails: p.emails,
    home_location_id: p.creator?.homeLocationId ?? null,
  }));
  const rows = await prismaExecutor(tx).query<Client & { ord: number | null }>(WRITE, [
    JSON.stringify(newRows),
    JSON.stringify(updates.map(({ id, phones, emails }) => ({ id, phones, emails }))),
    // The application's clock, as Prisma's @default(now()) and @updatedAt would stamp them.
    new Date(),
  ]);
  const updated = new Map(updates.map((u) => [u.id, u.planned]));
  return new Map(rows.map(({ ord, ...client }) => [ord === null ? updated.get(client.id)! : inserts[ord]!, client]));
}
