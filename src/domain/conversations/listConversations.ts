import type { Client, Conversation, Location, Message, Staff } from '../../generated/prisma/client.js';
import {
  CONVERSATION_FIELDS,
  JOINABLE_RELATION_FIELDS,
  countConversations,
  selectConversationPage,
  selectConversationPageRows,
  type ConversationListFilter,
  type ConversationPageRelation,
  type PageMessage,
} from '../../db/sql/selectConversationPage.js';
import type { Deps } from '../deps.js';
import { getMessagesHtml } from '../messages/getMessagesHtml.js';
import { assertOptionalUuid } from '../ids.js';
import { toKeysetPage, type PageArgs } from '../paging.js';
import type { PrismaQuery } from '../prismaQuery.js';

export type { ConversationListFilter };

/**
 * A row of an inbox list, with the relations asked for. Its last message may lack `html` (see
 * withLastMessageHtml), so a caller returning whole messages cannot forget to load it unnoticed.
 */
export type ConversationListRow = Conversation & { client?: Client; assignee?: Staff | null; lastMessage?: PageMessage | null; location?: Location };

function checkFilter(filter: ConversationListFilter): void {
  assertOptionalUuid(filter.assigneeId, ['filter', 'assigneeId']);
  assertOptionalUuid(filter.locationId, ['filter', 'locationId']);
  assertOptionalUuid(filter.clientId, ['filter', 'clientId']);
}

/**
 * One page of a business's inbox: pinned first, then most recent activity. When the caller asks
 * for no more than the conversation and its client, assignee, last message and location (what an
 * inbox list shows), it is one statement: the page by keyset with those rows joined in. Anything
 * deeper (a relation of the client, counts, message lists) takes two: the page's ids, then the rows
 * with the relations the caller asked for (GraphQL's planned `query`), loaded by Prisma in batches.
 * Either way the number of statements does not grow with the page size.
 */
export async function listConversations(deps: Deps, input: { businessId: string; filter?: ConversationListFilter; page?: PageArgs }, query: PrismaQuery = {}): Promise<ConversationListRow[]> {
  const filter = input.filter ?? {};
  checkFilter(filter);
  const page = toKeysetPage(input.page ?? {});
  const relations = joinableRelations(query);
  if (relations) return selectConversationPageRows(deps.sql, input.businessId, filter, page, relations);
  const ids = await selectConversationPage(deps.sql, input.businessId, filter, page);
  if (ids.length === 0) return [];
  const rows = (await deps.prisma.conversation.findMany({ ...(query as object), where: { id: { in: ids } } })) as ConversationListRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * The rows with their last messages' HTML, which listConversations' one-statement page leaves out
 * (an email's HTML can be hundreds of kilobytes): one more statement, for the last messages that
 * lack it. For callers that return whole messages (REST); GraphQL loads it only when asked.
 */
export async function withLastMessageHtml(deps: Deps, rows: ConversationListRow[]): Promise<(ConversationListRow & { lastMessage?: Message | null })[]> {
  const lacking = rows.flatMap((r) => (r.lastMessage && r.lastMessage.html === undefined ? [r.lastMessage] : []));
  if (lacking.length > 0) {
    const html = await getMessagesHtml(
      deps,
      lacking.map((m) => m.id),
    );
    for (const m of lacking) m.html = html.get(m.id) ?? null;
  }
  return rows as (ConversationListRow & { lastMessage?: Message | null })[];
}

export async function countConversationList(deps: Deps, input: { businessId: string; filter?: ConversationListFilter }): Promise<number> {
  const filter = input.filter ?? {};
  checkFilter(filter);
  return countConversations(deps.sql, input.businessId, filter);
}

const isJoinable = (key: string): key is ConversationPageRelation => Object.hasOwn(JOINABLE_RELATION_FIELDS, key);

/**
 * The relations the one-statement page must join to answer `query` (whole rows satisfy any
 * selection of scalars), or null when `query` asks for more than scalars of the conversation and
 * of its joinable relations.
 */
function joinableRelations(query: PrismaQuery): ConversationPageRelation[] | null {
  if (Object.keys(query).some((k) => k !== 'select' && k !== 'include')) return null;
  if (query.select && query.include) return null;
  const relations: ConversationPageRelation[] = [];
  for (const [key, value] of Object.entries(query.include ?? query.select ?? {})) {
    if (value === false || value === undefined) continue;
    if (isJoinable(key)) {
      if (!onlyScalars(value, JOINABLE_RELATION_FIELDS[key])) return null;
      relations.push(key);
    } else if (!(query.select && value === true && CONVERSATION_FIELDS.includes(key))) {
      return null;
    }
  }
  return relations;
}

/** A nested query (`true`, `{ select }`, `{ include }`) that asks for scalar fields only. */
function onlyScalars(nested: unknown, fields: readonly string[]): boolean {
  if (nested === true) return true;
  if (typeof nested !== 'object' || nested === null) return false;
  for (const [key, value] of Object.entries(nested as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (key === 'select') {
      if (typeof value !== 'object' || value === null) return false;
      if (!Object.entries(value).every(([f, v]) => v === false || v === undefined || (v === true && fields.includes(f)))) return false;
    } else if (key === 'include') {
      if (typeof value !== 'object' || value === null) return false;
      if (!Object.values(value).every((v) => v === false || v === undefined)) return false;
    } else {
      return false;
    }
  }
  return true;
}
