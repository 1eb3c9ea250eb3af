import type { Sql } from '../../db/sqlHandle.js';
import { ConflictError } from '../errors.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';
import type { SavedReplyView } from './savedReplyFields.js';

/** saved_reply.created / updated / deleted, in the caller's transaction: what changed, never the body. */
export async function publishSavedReplyEvent(
  sql: Sql,
  type: 'saved_reply.created' | 'saved_reply.updated' | 'saved_reply.deleted',
  reply: Pick<SavedReplyView, 'id' | 'businessId' | 'locationId' | 'name' | 'shortcut' | 'channel'>,
  staffId: string | null,
  changed?: string[],
): Promise<void> {
  await publishInboxEvent(sql, {
    businessId: reply.businessId,
    type,
    payload: {
      savedReplyId: reply.id,
      name: reply.name,
      shortcut: reply.shortcut,
      channel: reply.channel,
      locationId: reply.locationId,
      staffId,
      ...(changed ? { changed } : {}),
    },
  });
}

export function shortcutTaken(shortcut: string): ConflictError {
  return new ConflictError('SAVED_REPLY_SHORTCUT_TAKEN', `Another saved reply of this business has the shortcut ${JSON.stringify(shortcut)} (shortcuts are unique, whatever their case).`);
}
