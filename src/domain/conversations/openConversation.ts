import type { Conversation } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { findOrCreateClient, type ClientRef } from '../clients/findOrCreateClient.js';
import { normalizeEmail } from '../contacts/normalizeEmail.js';
import { normalizePhone } from '../contacts/normalizePhone.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import { assertOptionalUuid } from '../ids.js';
import { createOrGetConversation } from './createOrGetConversation.js';
import { runTransaction } from '../../db/transaction.js';
import { phoneRegionFor } from '../businesses/phoneRegionFor.js';

/**
 * "Create or retrieve client conversation": the conversation of a client (named by id, external id,
 * phone or email, created when unknown) at a location. Concurrent calls get the same row. The phone
 * and email are as the caller gave them: a phone becomes E.164, an email lower case, and one that
 * is not a phone or an email address is a ValidationError on that field.
 */
export async function openConversation(deps: Deps, input: ClientRef & { locationId?: string | null }): Promise<{ conversation: Conversation; created: boolean; clientCreated: boolean }> {
  const phone = input.phone ? normalizePhone(input.phone, await phoneRegionFor(deps, input.businessId, [input.phone])) : null;
  const email = input.email ? normalizeEmail(input.email) : null;
  const issues: FieldIssue[] = [
    ...(input.phone && !phone ? [{ type: 'value_error', loc: ['phone'], msg: 'Value is not a phone number', input: input.phone }] : []),
    ...(input.email && !email ? [{ type: 'value_error', loc: ['email'], msg: 'Value is not a valid email address', input: input.email }] : []),
  ];
  if (issues.length) throw new ValidationError(issues);
  assertOptionalUuid(input.clientId, ['clientId']);
  assertOptionalUuid(input.locationId, ['locationId']);
  return runTransaction(deps, async (tx) => {
    const { client, created: clientCreated } = await findOrCreateClient(tx, { ...input, phone, email });
    const { conversation, created } = await createOrGetConversation(tx, {
      businessId: input.businessId,
      clientId: client.id,
      locationId: input.locationId ?? null,
    });
    return { conversation, created, clientCreated };
  });
}
