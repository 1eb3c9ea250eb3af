import { lockKey } from '../../db/sql/locks.js';
import { runTransaction } from '../../db/transaction.js';
import { actingStaffId, type Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { assertOptionalUuid, assertUuid } from '../ids.js';
import { publishSavedReplyEvent, shortcutTaken } from './savedReplyEvents.js';
import { checkSavedReplyFields, savedReplyNotFound, savedReplyScope, type SavedReplyView } from './savedReplyFields.js';

export interface UpdateSavedReplyInput {
  principal: Principal | null;
  /** The business the caller names (REST's path); omitted: the reply's own. */
  businessId?: string | null;
  id: string;
  /** Each field left out (undefined) stays as it is. null: every location. */
  locationId?: string | null;
  name?: string;
  shortcut?: string;
  channel?: string;
  /** null: none. */
  subject?: string | null;
  body?: string;
}

/** Changes the fields given, with the rules of createSavedReply (checked against the reply's resulting channel). Publishes saved_reply.updated with the names of the fields that changed. */
export async function updateSavedReply(deps: Deps, input: UpdateSavedReplyInput): Promise<SavedReplyView> {
  const scope = savedReplyScope(input.principal, input.businessId);
  const id = assertUuid(input.id, ['id']);
  const locationId = input.locationId === undefined ? undefined : (assertOptionalUuid(input.locationId, ['locationId']) ?? null);
  const staffId = actingStaffId(input.principal, null);
  return runTransaction(deps, async (tx) => {
    const found = await tx.prisma.savedReply.findFirst({ where: { id, ...scope }, select: { businessId: true } });
    if (!found) throw savedReplyNotFound(input.id, input.businessId);
    await lockKey(tx.sql, `saved_replies:${found.businessId}`);
    const current = await tx.prisma.savedReply.findUniqueOrThrow({ where: { id } });
    const { data, issues } = checkSavedReplyFields(
      {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.shortcut !== undefined ? { shortcut: input.shortcut } : {}),
        ...(input.channel !== undefined ? { channel: input.channel } : {}),
        ...(input.subject !== undefined ? { subject: input.subject } : {}),
        ...(input.body !== undefined ? { body: input.body } : {}),
      },
      current,
    );
    if (issues.length) throw new ValidationError(issues);
    if (locationId && !(await tx.prisma.location.findFirst({ where: { id: locationId, businessId: current.businessId }, select: { id: true } }))) {
      throw new NotFoundError('LOCATION_NOT_FOUND', `No location ${locationId} in business ${JSON.stringify(current.businessId)}.`);
    }
    if (data.shortcut !== undefined && data.shortcut !== current.shortcut) {
      if (await tx.prisma.savedReply.findFirst({ where: { businessId: current.businessId, shortcut: data.shortcut, id: { not: id } }, select: { id: true } })) throw shortcutTaken(data.shortcut);
    }
    const next = { ...data, ...(locationId !== undefined ? { locationId } : {}) };
    const changed = Object.entries(next)
      .filter(([k, v]) => current[k as keyof typeof current] !== v)
      .map(([k]) => (k === 'locationId' ? 'location' : k));
    if (changed.length === 0) return current;
    const row = await tx.prisma.savedReply.update({ where: { id }, data: next });
    await publishSavedReplyEvent(tx.sql, 'saved_reply.updated', row, staffId, changed);
    return row;
  });
}
