import { lockKey } from '../../db/sql/locks.js';
import { runTransaction } from '../../db/transaction.js';
import { actingStaffId, type Principal } from '../auth/principal.js';
import { authorizeBusiness } from '../auth/authorizeBusiness.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { assertOptionalUuid } from '../ids.js';
import { publishSavedReplyEvent, shortcutTaken } from './savedReplyEvents.js';
import { checkSavedReplyFields, MAX_SAVED_REPLIES, type SavedReplyView } from './savedReplyFields.js';

export interface CreateSavedReplyInput {
  principal: Principal | null;
  businessId: string;
  /** Omitted or null: every location of the business. */
  locationId?: string | null;
  name: string;
  shortcut: string;
  /** sms, email or any (default). */
  channel?: string | null;
  subject?: string | null;
  body: string;
}

/**
 * A new saved reply (sessions and API keys of the business). Its subject and body are parsed as
 * templates now: an unknown variable or a malformed tag is a 422 naming the field, the variable and
 * where. The shortcut is unique per business, case-insensitively (409 SAVED_REPLY_SHORTCUT_TAKEN);
 * at most MAX_SAVED_REPLIES per business (409 SAVED_REPLY_LIMIT). Publishes saved_reply.created.
 */
export async function createSavedReply(deps: Deps, input: CreateSavedReplyInput): Promise<SavedReplyView> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  const locationId = assertOptionalUuid(input.locationId, ['locationId']) ?? null;
  const { data, issues } = checkSavedReplyFields({ name: input.name, shortcut: input.shortcut, channel: input.channel ?? 'any', subject: input.subject ?? null, body: input.body }, null);
  if (issues.length) throw new ValidationError(issues);
  const staffId = actingStaffId(input.principal, null);
  const businessId = input.businessId;
  return runTransaction(deps, async (tx) => {
    // One change of a business's replies at a time: the count and the shortcut are checked, then written.
    await lockKey(tx.sql, `saved_replies:${businessId}`);
    if (locationId && !(await tx.prisma.location.findFirst({ where: { id: locationId, businessId }, select: { id: true } }))) {
      throw new NotFoundError('LOCATION_NOT_FOUND', `No location ${locationId} in business ${JSON.stringify(businessId)}.`);
    }
    const count = await tx.prisma.savedReply.count({ where: { businessId } });
    if (count >= MAX_SAVED_REPLIES) {
      throw new ConflictError('SAVED_REPLY_LIMIT', `Business ${JSON.stringify(businessId)} has ${count} saved replies, the most it may have (${MAX_SAVED_REPLIES}); delete some first.`);
    }
    if (await tx.prisma.savedReply.findFirst({ where: { businessId, shortcut: data.shortcut! }, select: { id: true } })) throw shortcutTaken(data.shortcut!);
    const row = await tx.prisma.savedReply.create({
      data: { businessId, locationId, name: data.name!, shortcut: data.shortcut!, channel: data.channel!, subject: data.subject ?? null, body: data.body! },
    });
    await publishSavedReplyEvent(tx.sql, 'saved_reply.created', row, staffId);
    return row;
  });
}
