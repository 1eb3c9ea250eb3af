import type { Message } from '../../generated/prisma/client.js';
import { selectMessagePage, type MessageListFilter } from '../../db/sql/selectMessagePage.js';
import type { Deps } from '../deps.js';
import { getConversation } from '../conversations/getConversation.js';
import { toKeysetPage, type PageArgs } from '../paging.js';
import type { PrismaQuery } from '../prismaQuery.js';

export type { MessageListFilter };

/** A conversation's messages, newest first, filtered by channel, direction, status and time. */
export async function listMessages(deps: Deps, input: { businessId: string; conversationId: string; filter?: MessageListFilter; page?: PageArgs }, query: PrismaQuery = {}): Promise<Message[]> {
  await getConversation(deps, { conversationId: input.conversationId, businessId: input.businessId }, { select: { id: true } });
  const ids = await selectMessagePage(deps.sql, input.businessId, input.conversationId, input.filter ?? {}, toKeysetPage(input.page ?? {}));
  if (ids.length === 0) return [];
  const rows = (await deps.prisma.message.findMany({ ...(query as object), where: { id: { in: ids } } })) as Message[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function countMessages(deps: Deps, input: { businessId: string; conversationId: string; filter?: MessageListFilter }): Promise<number> {
  const f = input.filter ?? {};
  return deps.prisma.message.count({
    where: {
      businessId: input.businessId,
      conversationId: input.conversationId,
      ...(f.channel ? { channel: f.channel } : {}),
      ...(f.direction ? { direction: f.direction } : {}),
      ...(f.status?.length ? { status: { in: f.status as Message['status'][] } } : {}),
      ...(f.before || f.after ? { createdAt: { ...(f.before ? { lt: f.before } : {}), ...(f.after ? { gte: f.after } : {}) } } : {}),
    },
  });
}
