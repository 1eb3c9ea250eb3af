import type { Client } from '../../generated/prisma/client.js';
import { lockClientKeys, selectClientsByContact, writeClients, type NewClientRow } from '../../db/sql/writeClients.js';
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
  // A separate, earlier statement than the read: under READ COMMITTED each statement reads a
  // snapshot taken when it starts, so the read sees what a previous holder of a lock committed.
  const lockKeys = refs.flatMap((ref, i) => (lookups[i]!.by === 'id' ? [] : [`omega_client:${ref.businessId}:${lookups[i]!.by}:${lookups[i]!.value}`]));
  await lockClientKeys(tx.sql, lockKeys);
  const valuesBy = (by: Lookup['by']) => [...new Set(lookups.filter((l) => l.by === by).map((l) => l.value))];
  const rows = await selectClientsByContact(tx.sql, {
    businessIds: [...new Set(refs.map((r) => r.businessId))],
    ids: valuesBy('id'),
    externalIds: valuesBy('ext'),
    phones: valuesBy('phone'),
    emails: valuesBy('email'),
  });

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
  const newRows = inserts.map((p, ord): NewClientRow => ({
    ord,
    business_id: p.businessId,
    external_id: p.externalId,
    first_name: p.creator?.firstName ?? null,
    last_name: p.creator?.lastName ?? null,
    phones: p.phones,
    emails: p.emails,
    home_location_id: p.creator?.homeLocationId ?? null,
  }));
  const rows = await writeClients(
    tx.sql,
    newRows,
    updates.map(({ id, phones, emails }) => ({ id, phones, emails })),
    // The application's clock, as Prisma's @default(now()) and @updatedAt would stamp them.
    new Date(),
  );
  const updated = new Map(updates.map((u) => [u.id, u.planned]));
  return new Map(rows.map(({ ord, ...client }) => [ord === null ? updated.get(client.id)! : inserts[ord]!, client]));
}
