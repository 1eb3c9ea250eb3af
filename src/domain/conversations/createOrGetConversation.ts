import type { Conversation } from '../../generated/prisma/client.js';
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
 * The one conversation of a client at a location, created on first contact. Safe under concurrent
 * calls: the insert relies on the (business, client, location) unique key, so racing callers all get
 * the same row and exactly one of them sees `created: true`.
 */
export async function createOrGetConversation(tx: Tx, key: ConversationKey): Promise<FoundConversation> {
  const locationId = await resolveLocationId(tx, key);
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO conversations (business_id, client_id, location_id)
    VALUES (${key.businessId}, ${key.clientId}::uuid, ${locationId}::uuid)
    ON CONFLICT (business_id, client_id, location_id) DO NOTHING
    RETURNING id::text AS id`;
  const conversation = await tx.conversation.findUnique({
    where: { businessId_clientId_locationId: { businessId: key.businessId, clientId: key.clientId, locationId } },
  });
  if (!conversation) throw new Error('internal error: conversation vanished right after its upsert');
  return { conversation, created: inserted.length === 1 };
}

async function resolveLocationId(tx: Tx, key: ConversationKey): Promise<string> {
  if (key.locationId) {
    const location = await tx.location.findFirst({ where: { id: key.locationId, businessId: key.businessId }, select: { id: true } });
    if (!location) throw new NotFoundError('LOCATION_NOT_FOUND', `No location ${key.locationId} in business ${JSON.stringify(key.businessId)}.`);
    return location.id;
  }
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT l.id::text AS id
      FROM locations l
      LEFT JOIN clients c ON c.id = ${key.clientId}::uuid AND c.business_id = ${key.businessId}
      JOIN businesses b ON b.id = ${key.businessId}
     WHERE l.business_id = ${key.businessId}
     ORDER BY (l.id = c.home_location_id) DESC NULLS LAST,
              (l.id::text = b.settings->>'defaultLocationId') DESC NULLS LAST,
              l.created_at, l.id
     LIMIT 1`;
  const id = rows[0]?.id;
  if (!id) {
    throw new ValidationError(
      [{ type: 'value_error', loc: ['body', 'location_id'], msg: `Business ${JSON.stringify(key.businessId)} has no location; onboard one first` }],
      'BUSINESS_HAS_NO_LOCATION',
    );
  }
  return id;
}
