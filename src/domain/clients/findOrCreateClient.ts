import type { Tx } from '../../db/tx.js';
import { findOrCreateClients, type ClientRef, type FoundClient } from './findOrCreateClients.js';

export type { ClientRef, FoundClient } from './findOrCreateClients.js';

/**
 * Finds the client a message is for, creating it when unknown (first contact from a new number or
 * address): findOrCreateClients for one ref, where the rules live. Costs what a lone lookup must:
 * the contact's lock (none by Omega id), the read, and an insert or update only when needed.
 */
export async function findOrCreateClient(tx: Tx, ref: ClientRef): Promise<FoundClient> {
  const [found] = await findOrCreateClients(tx, [ref]);
  return found!;
}
