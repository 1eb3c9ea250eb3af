import type { Client } from '../../generated/prisma/client.js';
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

/**
 * Finds the client a message is for, creating it when unknown (first contact from a new number or
 * address). Lookup order: Omega id, external id, phone, email. Runs inside the caller's
 * transaction; a per-business advisory lock on the contact makes two concurrent first contacts
 * from one number create one client, not two.
 */
export async function findOrCreateClient(tx: Tx, ref: ClientRef): Promise<FoundClient> {
  const { businessId } = ref;
  if (ref.clientId) {
    const client = await tx.client.findFirst({ where: { id: ref.clientId, businessId } });
    if (!client) throw new NotFoundError('CLIENT_NOT_FOUND', `No client ${ref.clientId} in business ${JSON.stringify(businessId)}.`);
    return { client, created: false };
  }
  const contactKey = ref.externalId ? `ext:${ref.externalId}` : ref.phone ? `phone:${ref.phone}` : ref.email ? `email:${ref.email}` : null;
  if (!contactKey) {
    throw new ValidationError([{ type: 'missing', loc: ['body', 'client'], msg: 'Name the client: client_id, client_external_id, a phone number or an email address' }]);
  }
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`omega_client:${businessId}:${contactKey}`}))`;

  const existing = ref.externalId
    ? await tx.client.findUnique({ where: { businessId_externalId: { businessId, externalId: ref.externalId } } })
    : ref.phone
      ? await tx.client.findFirst({ where: { businessId, phones: { has: ref.phone } }, orderBy: { createdAt: 'asc' } })
      : await tx.client.findFirst({ where: { businessId, emails: { has: ref.email! } }, orderBy: { createdAt: 'asc' } });
  if (existing) {
    // A known client reached on a new number or address keeps it for next time.
    const phones = ref.phone && !existing.phones.includes(ref.phone) ? [...existing.phones, ref.phone] : null;
    const emails = ref.email && !existing.emails.includes(ref.email) ? [...existing.emails, ref.email] : null;
    if (phones || emails) {
      const updated = await tx.client.update({
        where: { id: existing.id },
        data: { ...(phones ? { phones } : {}), ...(emails ? { emails } : {}) },
      });
      return { client: updated, created: false };
    }
    return { client: existing, created: false };
  }
  const client = await tx.client.create({
    data: {
      businessId,
      externalId: ref.externalId ?? null,
      firstName: ref.firstName ?? null,
      lastName: ref.lastName ?? null,
      phones: ref.phone ? [ref.phone] : [],
      emails: ref.email ? [ref.email] : [],
      homeLocationId: ref.homeLocationId ?? null,
    },
  });
  return { client, created: true };
}
