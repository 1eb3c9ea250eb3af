import type { Tx } from '../../db/tx.js';
import { createOrGetConversations, type ConversationKey, type FoundConversation } from './createOrGetConversations.js';

export type { ConversationKey, FoundConversation } from './createOrGetConversations.js';

/**
 * The one conversation of a client at a location, created on first contact: createOrGetConversations
 * for one key, where the rules live (location resolution, safety under concurrent calls).
 */
export async function createOrGetConversation(tx: Tx, key: ConversationKey): Promise<FoundConversation> {
  const [found] = await createOrGetConversations(tx, [key]);
  return found!;
}
