import type { Conversation } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { findOrCreateClient, type ClientRef } from '../clients/findOrCreateClient.js';
import { assertOptionalUuid } from '../ids.js';
import { createOrGetConversation } from './createOrGetConversation.js';
import { runTransaction } from '../../db/transaction.js';

/**
 * "Create or retrieve client conversation": the conversation of a client (named by id, external id,
 * phone or email, created when unknown) at a location. Concurrent calls get the same row.
 */
export async function openConversation(
  deps: Deps,
  input: ClientRef & { locationId?: string | null },
): Promise<{ conversation: Conversation; created: boolean; clientCreated: boolean }> {
  assertOptionalUuid(input.clientId, ['clientId']);
  assertOptionalUuid(input.locationId, ['locationId']);
  return runTransaction(deps, async (tx) => {
    const { client, created: clientCreated } = await findOrCreateClient(tx, input);
    const { conversation, created } = await createOrGetConversation(tx, {
      businessId: input.businessId,
      clientId: client.id,
      locationId: input.locationId ?? null,
    });
    return { conversation, created, clientCreated };
  });
}
