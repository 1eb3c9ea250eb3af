import type { Client, Conversation, Location, Message, Staff } from '../../generated/prisma/client.js';
import {
  CONVERSATION_FIELDS,
  JOINABLE_RELATION_FIELDS,
  countConversations,
  selectConversationPage,
  selectConversationPageRows,
  type ConversationListFilter,
  type ConversationPageRelation,
  type KeysetPage,
  type PageMessage,
} from '../../db/sql/selectConversationPage.js';
import type { Deps } from '../deps.js';
import { getMessagesHtml } from '../messages/getMessagesHtml.js';
import { actingStaffId, type Principal } from '../auth/principal.js';
import { ValidationError } from '../errors.js';
import { assertOptionalUuid, assertUuid } from '../ids.js';
import { MAX_LABEL_IDS } from '../labels/labelFields.js';
import { toKeysetPage, type PageArgs } from '../paging.js';
import { getConversationsLabels } from '../labels/getConversationLabels.js';
import type { LabelView } from '../labels/labelFields.js';
import type { PrismaQuery } from '../prismaQuery.js';

export type { ConversationListFilter };

/**
 * A row of an inbox list, with the relations asked for. Its last message may lack `html` (see
 * withLastMessageHtml), so a caller returning whole messages cannot forget to load it unnoticed.
 */
export type ConversationListRow = Conversation & { client?: Client; assignee?: Staff | null; lastMessage?: PageMessage | null; location?: Location; labels?: { label: LabelView }[] };

/**
 * The filter as the list runs it: ids checked, and the viewer of the mentions view decided (a
 * session is its own staff member; an API key names one in `viewerStaffId`, else 422 VIEWER_REQUIRED).
 */
export function checkConversationFilter(filter: ConversationListFilter, principal: Principal | null | undefined, loc: string[] = ['filter']): ConversationListFilter {
  assertOptionalUuid(filter.assigneeId, [...loc, 'assigneeId']);
  assertOptionalUuid(filter.locationId, [...loc, 'locationId']);
  assertOptionalUuid(filter.clientId, [...loc, 'clientId']);
  assertOptionalUuid(filter.viewerStaffId, [...loc, 'viewerStaffId']);
  if (filter.labelIds) {
    if (filter.labelIds.length > MAX_LABEL_IDS) {
      throw new ValidationError([{ type: 'too_long', loc: [...loc, 'labelIds'], msg: `At most ${MAX_LABEL_IDS} labels`, input: filter.labelIds.length }]);
    }
    filter.labelIds.forEach((id, i) => assertUuid(id, [...loc, 'labelIds', i]));
  }
  const viewer = actingStaffId(principal ?? null, filter.viewerStaffId);
  if (filter.view === 'mentions' && !viewer) {
    throw new ValidationError(
      [{ type: 'missing', loc: [...loc, 'viewerStaffId'], msg: 'The mentions view is of one staff member: use a session, or name the staff member (viewerStaffId) with an API key' }],
      'VIEWER_REQUIRED',
    );
  }
  return viewer ? { ...filter, viewerStaffId: viewer } : filter;
}

/**
 * One page of a business's inbox: pinned first, then most recent activity. When the caller asks
 * for no more than the conversation and its client, assignee, last message and location (what an
 * inbox list shows), it is one statement: the page by keyset with those rows joined in. Anything
 * deeper (a relation of the client, counts, message lists) takes two: the page's ids, then the rows
 * with the relations the caller asked for (GraphQL's planned `query`), loaded by Prisma in batches.
 * Either way the number of statements does not grow with the page size.
 */
export async function listConversations(
  deps: Deps,
  input: { businessId: string; filter?: ConversationListFilter; page?: PageArgs; principal?: Principal | null },
  query: PrismaQuery = {},
): Promise<ConversationListRow[]> {
  const filter = checkConversationFilter(input.filter ?? {}, input.principal);
  const page = toKeysetPage(input.page ?? {});
  // Labels (a to-many relation) come in one statement of their own for the whole page.
  const { query: rest, labels } = withoutLabels(query);
  const rows = await listRows(deps, input.businessId, filter, page, rest);
  if (labels && rows.length) {
    const byConversation = await getConversationsLabels(
      deps,
      input.businessId,
      rows.map((r) => r.id),
    );
    for (const row of rows) row.labels = (byConversation.get(row.id) ?? []).map((label) => ({ label }));
  }
  return rows;
}

async function listRows(deps: Deps, businessId: string, filter: ConversationListFilter, page: KeysetPage, query: PrismaQuery): Promise<ConversationListRow[]> {
  const relations = joinableRelations(query);
  if (relations) return selectConversationPageRows(deps.sql, businessId, filter, page, relations);
  const ids = await selectConversationPage(deps.sql, businessId, filter, page);
  if (ids.length === 0) return [];
  const rows = (await deps.prisma.conversation.findMany({ ...(query as object), where: { id: { in: ids } } })) as ConversationListRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The query without its `labels` relation, and whether it asked for it. */
function withoutLabels(query: PrismaQuery): { query: PrismaQuery; labels: boolean } {
  const key = query.include ? 'include' : query.select ? 'select' : null;
  const relations = key ? (query[key] as Record<string, unknown>) : null;
  if (!key || !relations || relations['labels'] === undefined || relations['labels'] === false) return { query, labels: false };
  const { labels: _labels, ...others } = relations;
  return { query: { ...query, [key]: others }, labels: true };
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

export async function countConversationList(deps: Deps, input: { businessId: string; filter?: ConversationListFilter; principal?: Principal | null }): Promise<number> {
  const filter = checkConversationFilter(input.filter ?? {}, input.principal);
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
