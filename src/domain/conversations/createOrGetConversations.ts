import type { Conversation } from '../../generated/prisma/client.js';
import { selectConversationsByKey, upsertConversations } from '../../db/sql/upsertConversations.js';
import type { Tx } from '../../db/tx.js';
import { NotFoundError, ValidationError } from '../errors.js';

export interface ConversationKey {
  businessId: string;
  clientId: string;
  /** Omitted: the client's home location, else the business's default location, else its first. */
  locationId?: string | null;
}

export interface FoundConversation {
  conversation: Conversation;
  created: boolean;
}

/**
 * The one conversation of each client at a location, created on first contact, in one statement
 * (two when another transaction commits one of them meanwhile). Safe under concurrent calls: the
 * insert relies on the (business, client, location) unique key, so racing callers all get the same
 * row and exactly one of them (and within a call, the first key naming it) sees `created: true`.
 * Nothing is created unless every key resolves to a location.
 */
export async function createOrGetConversations(tx: Tx, keys: ConversationKey[]): Promise<FoundConversation[]> {
  if (keys.length === 0) return [];
  const rows = await upsertConversations(
    tx.sql,
    keys.map((k) => ({ business_id: k.businessId, client_id: k.clientId, location_id: k.locationId ?? null })),
  );
  rows.forEach((row, i) => {
    if (!row.location) throw noLocation(keys[i]!);
  });
  // Conflicting with a row committed after this statement's snapshot, the insert did nothing and
  // the snapshot could not see the row: a new statement (a new snapshot) does.
  const missing = rows.flatMap((row, i) => (row.id === null ? [{ business_id: keys[i]!.businessId, client_id: keys[i]!.clientId, location_id: row.location }] : []));
  const late = missing.length ? await selectConversationsByKey(tx.sql, missing) : [];
  const seen = new Set<string>();
  return rows.map(({ location, created, ...row }, i) => {
    const conversation = row.id !== null ? row : late.find((c) => c.businessId === keys[i]!.businessId && c.clientId === keys[i]!.clientId && c.locationId === location);
    if (!conversation) throw new Error('internal error: conversation vanished right after its upsert');
    const first = !seen.has(conversation.id);
    seen.add(conversation.id);
    return { conversation, created: created && first };
  });
}

function noLocation(key: ConversationKey): Error {
  if (key.locationId) return new NotFoundError('LOCATION_NOT_FOUND', `No location ${key.locationId} in business ${JSON.stringify(key.businessId)}.`);
  return new ValidationError([{ type: 'value_error', loc: ['locationId'], msg: `Business ${JSON.stringify(key.businessId)} has no location; onboard one first` }], 'BUSINESS_HAS_NO_LOCATION');
}
