import type { Client, Prisma } from '../../generated/prisma/client.js';
import { lockClients, selectContactHolder } from '../../db/sql/clientEdits.js';
import { lockClientKeys } from '../../db/sql/writeClients.js';
import { runTransaction } from '../../db/transaction.js';
import { phoneRegionFor } from '../businesses/phoneRegionFor.js';
import { normalizeEmail } from '../contacts/normalizeEmail.js';
import { normalizePhone } from '../contacts/normalizePhone.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../errors.js';
import { assertOptionalUuid, isUuid } from '../ids.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';

export const CLIENT_LIMITS = { name: 200, type: 100, notes: 10_000, contacts: 20, groups: 50, group: 100 } as const;

export interface ClientProfileChange {
  /** Each field left out (undefined) stays; null or an empty string or list clears it (the GraphQL and REST layers pass null as not given). */
  firstName?: string | null;
  lastName?: string | null;
  /** Replace the list (first is primary); normalised to E.164 in the business's phone region. */
  phones?: readonly string[] | null;
  /** Replace the list (first is primary); lower-cased. */
  emails?: readonly string[] | null;
  type?: string | null;
  groups?: readonly string[] | null;
  notes?: string | null;
  homeLocationId?: string | null;
}

export interface UpdateClientInput extends ClientProfileChange {
  businessId: string;
  /** Omega's id or the business's external id. */
  clientId: string;
}

const PROFILE_FIELDS = ['firstName', 'lastName', 'phones', 'emails', 'type', 'groups', 'notes', 'homeLocationId'] as const;

function text(value: string | null | undefined, field: string, max: number, issues: FieldIssue[]): string | null | undefined {
  if (value === undefined || value === null) return value;
  const v = value.trim();
  if (v.length > max) issues.push({ type: 'string_too_long', loc: [field], msg: `At most ${max} characters`, input: value });
  return v === '' ? null : v;
}

function list(values: readonly string[] | null | undefined, field: string, max: number, issues: FieldIssue[], normalise: (v: string) => string | null, what: string): string[] | undefined {
  if (values === undefined || values === null) return values === null ? [] : undefined;
  if (values.length > max) issues.push({ type: 'too_long', loc: [field], msg: `At most ${max} values` });
  const out: string[] = [];
  values.forEach((v, i) => {
    const n = normalise(v);
    if (n === null) issues.push({ type: 'value_error', loc: [field, i], msg: what, input: v });
    else if (!out.includes(n)) out.push(n);
  });
  return out;
}

/**
 * Changes a client's profile: names, phones, emails, type, groups, notes, home location. A phone or
 * email another (unmerged) client of the business has is a 409 CLIENT_CONTACT_TAKEN naming that
 * client. Concurrency: the new contacts' advisory locks (the ones findOrCreateClients takes) are
 * held before the check, so of two edits taking the same number one wins and the other gets the
 * 409, and a first contact from that number waits and then finds this client. Publishes
 * client.updated (`change: profile`, `fields`).
 */
export async function updateClient(deps: Deps, input: UpdateClientInput): Promise<Client> {
  const issues: FieldIssue[] = [];
  const given = PROFILE_FIELDS.filter((f) => input[f] !== undefined);
  if (given.length === 0) issues.push({ type: 'missing', loc: ['client'], msg: `Give at least one of ${PROFILE_FIELDS.join(', ')}` });
  const firstName = text(input.firstName, 'firstName', CLIENT_LIMITS.name, issues);
  const lastName = text(input.lastName, 'lastName', CLIENT_LIMITS.name, issues);
  const type = text(input.type, 'type', CLIENT_LIMITS.type, issues);
  const notes = input.notes === undefined || input.notes === null || input.notes.trim() === '' ? (input.notes === undefined ? undefined : null) : input.notes;
  if (notes && notes.length > CLIENT_LIMITS.notes) issues.push({ type: 'string_too_long', loc: ['notes'], msg: `At most ${CLIENT_LIMITS.notes} characters` });
  const region = input.phones ? await phoneRegionFor(deps, input.businessId, input.phones) : deps.phoneRegion;
  const phones = list(input.phones, 'phones', CLIENT_LIMITS.contacts, issues, (v) => normalizePhone(v, region), 'A phone number');
  const emails = list(input.emails, 'emails', CLIENT_LIMITS.contacts, issues, normalizeEmail, 'An email address');
  const groups = list(
    input.groups,
    'groups',
    CLIENT_LIMITS.groups,
    issues,
    (v) => (v.trim() && v.trim().length <= CLIENT_LIMITS.group ? v.trim() : null),
    `A group name of 1 to ${CLIENT_LIMITS.group} characters`,
  );
  const homeLocationId = input.homeLocationId === '' ? null : input.homeLocationId;
  assertOptionalUuid(homeLocationId, ['homeLocationId']);
  if (issues.length) throw new ValidationError(issues);

  return runTransaction(deps, async (tx) => {
    const found = await tx.prisma.client.findFirst({
      where: isUuid(input.clientId) ? { id: input.clientId, businessId: input.businessId } : { businessId: input.businessId, externalId: input.clientId },
      select: { id: true },
    });
    if (!found) throw new NotFoundError('CLIENT_NOT_FOUND', `No client ${JSON.stringify(input.clientId)} in business ${JSON.stringify(input.businessId)}.`);
    const keys = [...(phones ?? []).map((p) => `omega_client:${input.businessId}:phone:${p}`), ...(emails ?? []).map((e) => `omega_client:${input.businessId}:email:${e}`)];
    await lockClientKeys(tx.sql, keys);
    const [locked] = await lockClients(tx.sql, input.businessId, [found.id]);
    if (!locked) throw new NotFoundError('CLIENT_NOT_FOUND', `No client ${JSON.stringify(input.clientId)} in business ${JSON.stringify(input.businessId)}.`);
    if (locked.merged_into_id) throw new ConflictError('CLIENT_MERGED', `Client ${found.id} was merged into client ${locked.merged_into_id}; edit that one.`);
    if (phones?.length || emails?.length) {
      const holder = await selectContactHolder(tx.sql, { businessId: input.businessId, exceptIds: [found.id], phones: phones ?? [], emails: emails ?? [] });
      if (holder) {
        const phone = (phones ?? []).find((p) => holder.phones.includes(p));
        const field = phone ? 'phones' : 'emails';
        const value = phone ?? (emails ?? []).find((e) => holder.emails.includes(e));
        throw new ConflictError('CLIENT_CONTACT_TAKEN', `${field === 'phones' ? 'Phone' : 'Email'} ${value} (${field}) belongs to client ${holder.id}; merge the two clients instead (mergeClients).`);
      }
    }
    if (homeLocationId && !(await tx.prisma.location.findFirst({ where: { id: homeLocationId, businessId: input.businessId }, select: { id: true } }))) {
      throw new NotFoundError('LOCATION_NOT_FOUND', `No location ${homeLocationId} in business ${JSON.stringify(input.businessId)}.`);
    }
    const data: Prisma.ClientUncheckedUpdateInput = {
      ...(firstName !== undefined ? { firstName } : {}),
      ...(lastName !== undefined ? { lastName } : {}),
      ...(phones !== undefined ? { phones } : {}),
      ...(emails !== undefined ? { emails } : {}),
      ...(type !== undefined ? { type } : {}),
      ...(groups !== undefined ? { groups } : {}),
      ...(notes !== undefined ? { notes } : {}),
      ...(homeLocationId !== undefined ? { homeLocationId } : {}),
    };
    const client = await tx.prisma.client.update({ where: { id: found.id }, data });
    await publishInboxEvent(tx.sql, { businessId: input.businessId, type: 'client.updated', payload: { clientId: client.id, change: 'profile', fields: given } });
    return client;
  });
}
