import type { Client, Prisma } from '../../generated/prisma/client.js';
import { lockClientConversations, lockClients, moveConversationContents, recomputeConversationSummary } from '../../db/sql/clientEdits.js';
import { setStatusChangeContext } from '../../db/sql/setStatusChangeContext.js';
import { lockClientKeys } from '../../db/sql/writeClients.js';
import { runTransaction } from '../../db/transaction.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { assertUuid } from '../ids.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';
import { messagePreview } from '../messages/appendMessage.js';

export interface MergeClientsInput {
  businessId: string;
  /** The client that stays. */
  keepId: string;
  /** The client merged into it: marked merged (merged_into_id, merged_at), gone from lists. */
  mergeId: string;
}

export interface MergeClientsResult {
  client: Client;
  /** Conversations of the merged client moved to the kept client as they were. */
  movedConversationIds: string[];
  /** Conversations combined: the merged client's conversation at a location where the kept client had one (deleted) -> the kept one. */
  combined: { fromId: string; intoId: string }[];
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];
const later = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));

/**
 * Merges client `mergeId` into `keepId` in one transaction. Moved to the kept client: messages,
 * calls, conversations; phones, emails and groups are unioned; names, type, notes and home location
 * are the kept client's, filled from the other where empty. Consent: the stricter wins (opted out of
 * SMS or email-suppressed if either was, at the later time). Where both have a conversation at the
 * same location the two become one (conversations are unique per business, client and location):
 * every message, call, report fact and status change moves to the kept client's conversation, its
 * summary and unread count are recomputed from its messages, staff read positions combined, and the
 * merged conversation is deleted. The merged client keeps its row with merged_into_id/merged_at (its
 * id answers with that pointer; lists and search leave it out) and loses its phones and emails, so
 * new contacts find the kept client. Locks: both clients' contacts (the advisory locks
 * findOrCreateClients takes), then the two client rows and their conversations in id order, so
 * concurrent merges cannot deadlock. Events: client.merged, and conversation.updated (change
 * `merge`) for each kept conversation that received another.
 */
export async function mergeClients(deps: Deps, input: MergeClientsInput): Promise<MergeClientsResult> {
  const keepId = assertUuid(input.keepId, ['keepId']);
  const mergeId = assertUuid(input.mergeId, ['mergeId']);
  if (keepId === mergeId) throw new ValidationError([{ type: 'value_error', loc: ['mergeId'], msg: 'A client cannot be merged into itself', input: mergeId }]);
  const now = deps.clock.now();
  return runTransaction(deps, async (tx) => {
    const notFound = (id: string) => new NotFoundError('CLIENT_NOT_FOUND', `No client ${id} in business ${JSON.stringify(input.businessId)}.`);
    const contacts = await tx.prisma.client.findMany({ where: { id: { in: [keepId, mergeId] }, businessId: input.businessId }, select: { phones: true, emails: true } });
    await lockClientKeys(tx.sql, [
      ...contacts.flatMap((c) => c.phones.map((p) => `omega_client:${input.businessId}:phone:${p}`)),
      ...contacts.flatMap((c) => c.emails.map((e) => `omega_client:${input.businessId}:email:${e}`)),
    ]);
    const locked = await lockClients(tx.sql, input.businessId, [keepId, mergeId].sort());
    for (const id of [keepId, mergeId]) {
      const row = locked.find((r) => r.id === id);
      if (!row) throw notFound(id);
      if (row.merged_into_id) throw new ConflictError('CLIENT_MERGED', `Client ${id} was already merged into client ${row.merged_into_id}.`);
    }
    const [keep, merge] = await Promise.all([tx.prisma.client.findUniqueOrThrow({ where: { id: keepId } }), tx.prisma.client.findUniqueOrThrow({ where: { id: mergeId } })]);

    const conversations = await lockClientConversations(tx.sql, input.businessId, [keepId, mergeId]);
    const keptAt = new Map(conversations.filter((c) => c.client_id === keepId).map((c) => [c.location_id, c.id]));
    const moved: string[] = [];
    const combined: { fromId: string; intoId: string }[] = [];
    for (const c of conversations.filter((c) => c.client_id === mergeId)) {
      const into = keptAt.get(c.location_id);
      if (into) combined.push({ fromId: c.id, intoId: into });
      else moved.push(c.id);
    }
    await setStatusChangeContext(tx.sql, { reason: 'client_merge', at: now });
    for (const { fromId, intoId } of combined) {
      const [from, into] = await Promise.all([tx.prisma.conversation.findUniqueOrThrow({ where: { id: fromId } }), tx.prisma.conversation.findUniqueOrThrow({ where: { id: intoId } })]);
      await moveConversationContents(tx.sql, { from: fromId, into: intoId, clientId: keepId });
      const last = await tx.prisma.message.findFirst({
        where: { conversationId: intoId, channel: { not: 'note' } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        select: { body: true, subject: true, channel: true },
      });
      await recomputeConversationSummary(tx.sql, intoId, last ? messagePreview(last) : null);
      // The kept conversation stays as it is, except: open if either was; assigned if either was; pinned if either was.
      const open = into.status === 'open' || from.status === 'open';
      await tx.prisma.conversation.update({
        where: { id: intoId },
        data: {
          ...(open && into.status !== 'open' ? { status: 'open', snoozedUntil: null } : {}),
          ...(!into.assigneeId && from.assigneeId ? { assigneeId: from.assigneeId } : {}),
          ...(from.pinned && !into.pinned ? { pinned: true } : {}),
          openedAt: later(into.openedAt, from.openedAt),
          waitingSince: into.waitingSince && from.waitingSince ? (into.waitingSince < from.waitingSince ? into.waitingSince : from.waitingSince) : (into.waitingSince ?? from.waitingSince),
        },
      });
      await tx.prisma.conversation.delete({ where: { id: fromId } });
    }
    if (moved.length) await tx.prisma.conversation.updateMany({ where: { id: { in: moved } }, data: { clientId: keepId } });
    await tx.prisma.message.updateMany({ where: { clientId: mergeId }, data: { clientId: keepId } });
    await tx.prisma.voiceCall.updateMany({ where: { clientId: mergeId }, data: { clientId: keepId } });

    const smsOptOut = keep.smsOptOut || merge.smsOptOut;
    const emailSuppressed = keep.emailSuppressed || merge.emailSuppressed;
    const data: Prisma.ClientUncheckedUpdateInput = {
      firstName: keep.firstName ?? merge.firstName,
      lastName: keep.lastName ?? merge.lastName,
      phones: union(keep.phones, merge.phones),
      emails: union(keep.emails, merge.emails),
      groups: union(keep.groups, merge.groups),
      type: keep.type ?? merge.type,
      notes: keep.notes && merge.notes ? `${keep.notes}\n\n${merge.notes}` : (keep.notes ?? merge.notes),
      homeLocationId: keep.homeLocationId ?? merge.homeLocationId,
      smsOptOut,
      smsOptOutAt: smsOptOut ? later(keep.smsOptOut ? keep.smsOptOutAt : null, merge.smsOptOut ? merge.smsOptOutAt : null) : null,
      emailSuppressed,
      emailSuppressedAt: emailSuppressed ? later(keep.emailSuppressed ? keep.emailSuppressedAt : null, merge.emailSuppressed ? merge.emailSuppressedAt : null) : null,
      emailSuppressionReason: keep.emailSuppressed ? keep.emailSuppressionReason : merge.emailSuppressed ? merge.emailSuppressionReason : null,
      metadata: { ...(merge.metadata as object), ...(keep.metadata as object) },
    };
    await tx.prisma.client.update({ where: { id: mergeId }, data: { mergedIntoId: keepId, mergedAt: now, phones: [], emails: [] } });
    // Clients merged into the merged one before now point at the kept one.
    await tx.prisma.client.updateMany({ where: { mergedIntoId: mergeId }, data: { mergedIntoId: keepId } });
    const client = await tx.prisma.client.update({ where: { id: keepId }, data });

    await publishInboxEvent(tx.sql, {
      businessId: input.businessId,
      type: 'client.merged',
      payload: { clientId: keepId, mergedClientId: mergeId, movedConversationIds: moved, combinedConversations: combined.map((c) => ({ fromId: c.fromId, intoId: c.intoId })) },
    });
    for (const { fromId, intoId } of combined) {
      const c = await tx.prisma.conversation.findUniqueOrThrow({ where: { id: intoId }, select: { status: true, pinned: true, muted: true, assigneeId: true } });
      await publishInboxEvent(tx.sql, {
        businessId: input.businessId,
        type: 'conversation.updated',
        conversationId: intoId,
        payload: { change: 'merge', mergedConversationId: fromId, status: c.status, pinned: c.pinned, muted: c.muted, assigneeId: c.assigneeId },
      });
    }
    return { client, movedConversationIds: moved, combined };
  });
}
