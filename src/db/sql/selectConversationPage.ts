import { createHash } from 'node:crypto';
import { getDatamodel } from '../../generated/pothos-prisma-types.js';
import type { Client, Conversation, Location, Message, Staff } from '../../generated/prisma/client.js';
import type { Sql } from '../sqlHandle.js';

/** Which conversations an inbox list shows. Every field narrows; absent fields do not. */
export interface ConversationListFilter {
  /**
   * inbox (default): everything but archived; all; open; snoozed; archived;
   * unread / read: by unread inbound messages; replied / unreplied: by who spoke last. Not archived unless `archived`.
   */
  view?: 'inbox' | 'all' | 'open' | 'snoozed' | 'archived' | 'unread' | 'read' | 'replied' | 'unreplied' | 'mentions';
  /**
   * The staff member looking (view mentions: where a note mentioned them, those with a mention newer
   * than their read position first).
   */
  viewerStaffId?: string;
  /** Conversations with any (labelMatch any, the default) or all of these labels. */
  labelIds?: string[];
  labelMatch?: 'any' | 'all';
  assigneeId?: string | null;
  unassigned?: boolean;
  /** Conversations with at least one message on this channel. */
  channel?: 'sms' | 'email' | 'voice' | 'note';
  locationId?: string;
  clientId?: string;
  clientType?: string;
  clientGroup?: string;
  pinned?: boolean;
  /** Last activity within [from, to). */
  from?: Date;
  to?: Date;
}

/** Keyset position: rows strictly after the row with this id, in list order (or before, backwards). */
export interface KeysetPage {
  limit: number;
  afterId?: string;
  offset?: number;
  backwards?: boolean;
}

interface Built {
  where: string;
  values: unknown[];
}

function buildWhere(businessId: string, filter: ConversationListFilter): Built {
  const values: unknown[] = [businessId];
  const p = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const clauses = ['c.business_id = $1::text'];
  switch (filter.view ?? 'inbox') {
    case 'inbox':
      clauses.push(`c.status <> 'archived'`);
      break;
    case 'all':
      break;
    case 'open':
    case 'snoozed':
    case 'archived':
      clauses.push(`c.status = ${p(filter.view)}::conversation_status`);
      break;
    case 'unread':
      clauses.push(`c.unread_count > 0`, `c.status <> 'archived'`);
      break;
    case 'read':
      clauses.push(`c.unread_count = 0`, `c.status <> 'archived'`);
      break;
    case 'replied':
      clauses.push(`c.last_message_direction = 'outbound'`, `c.status <> 'archived'`);
      break;
    case 'unreplied':
      clauses.push(`c.last_message_direction = 'inbound'`, `c.status <> 'archived'`);
      break;
    case 'mentions':
      // The notes' partial GIN index (messages_note_mentions_idx) finds the staff member's mentions.
      clauses.push(
        `c.id IN (SELECT m.conversation_id FROM messages m WHERE m.channel = 'note' AND cardinality(m.mention_staff_ids) > 0 AND m.mention_staff_ids @> ARRAY[${p(filter.viewerStaffId ?? null)}::uuid] AND m.business_id = $1::text)`,
        `c.status <> 'archived'`,
      );
      break;
  }
  // A semi-join each, which PostgreSQL can run either way: walking the list's index and probing
  // conversation_labels' primary key (a common label), or from (business_id, label_id) (a rare one).
  if (filter.labelIds?.length) {
    const labelIds = [...new Set(filter.labelIds)];
    if (filter.labelMatch === 'all') {
      for (const id of labelIds) clauses.push(`EXISTS (SELECT 1 FROM conversation_labels x WHERE x.conversation_id = c.id AND x.label_id = ${p(id)}::uuid)`);
    } else if (labelIds.length === 1) {
      clauses.push(`EXISTS (SELECT 1 FROM conversation_labels x WHERE x.conversation_id = c.id AND x.label_id = ${p(labelIds[0])}::uuid)`);
    } else {
      clauses.push(`EXISTS (SELECT 1 FROM conversation_labels x WHERE x.conversation_id = c.id AND x.label_id = ANY(${p(labelIds)}::uuid[]))`);
    }
  }
  if (filter.unassigned) clauses.push('c.assignee_id IS NULL');
  else if (filter.assigneeId) clauses.push(`c.assignee_id = ${p(filter.assigneeId)}::uuid`);
  if (filter.locationId) clauses.push(`c.location_id = ${p(filter.locationId)}::uuid`);
  if (filter.clientId) clauses.push(`c.client_id = ${p(filter.clientId)}::uuid`);
  if (filter.pinned !== undefined) clauses.push(`c.pinned = ${p(filter.pinned)}::boolean`);
  if (filter.from) clauses.push(`c.last_activity_at >= ${p(filter.from.toISOString())}::timestamptz`);
  if (filter.to) clauses.push(`c.last_activity_at < ${p(filter.to.toISOString())}::timestamptz`);
  if (filter.channel) {
    clauses.push(`EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.channel = ${p(filter.channel)}::channel)`);
  }
  if (filter.clientType || filter.clientGroup) {
    const sub = ['cl.id = c.client_id'];
    if (filter.clientType) sub.push(`cl.type = ${p(filter.clientType)}::text`);
    if (filter.clientGroup) sub.push(`cl.groups @> ARRAY[${p(filter.clientGroup)}::text]`);
    clauses.push(`EXISTS (SELECT 1 FROM clients cl WHERE ${sub.join(' AND ')})`);
  }
  return { where: clauses.join(' AND '), values };
}

/** The page's statement without its select list: FROM, WHERE, ORDER BY, LIMIT/OFFSET on `conversations c`. */
function pageQuery(businessId: string, filter: ConversationListFilter, page: KeysetPage): { tail: string; order: string; values: unknown[] } {
  const { where, values } = buildWhere(businessId, filter);
  const cmp = page.backwards ? '>' : '<';
  const dir = page.backwards ? 'ASC' : 'DESC';
  // The mentions view puts conversations with an unread mention of the viewer first.
  const unread = filter.view === 'mentions' ? unreadMention(values.indexOf(filter.viewerStaffId ?? null) + 1) : null;
  const order = `${unread ? `${unread('c')} ${dir}, ` : ''}c.pinned ${dir}, c.last_activity_at ${dir}, c.id ${dir}`;
  // The cursor's row is read by its primary key, then checked to be the business's. Written as one
  // WHERE (k.id = … AND k.business_id = …), a prepared statement's generic plan (after five runs)
  // looked it up in the list index by business instead: it cannot know that one business has
  // 100,000 conversations, and every deep page scanned them (bench/inbox-list: 6.2 ms of SQL per
  // deep page instead of under 1). OFFSET 0 keeps the inner lookup a query of its own.
  let keyset = '';
  if (page.afterId) {
    values.push(page.afterId);
    const n = values.length;
    keyset = unread
      ? ` AND (${unread('c')}, c.pinned, c.last_activity_at, c.id) ${cmp} (SELECT ${unread('k')}, k.pinned, k.last_activity_at, k.id FROM (SELECT * FROM conversations WHERE id = $${n}::uuid OFFSET 0) k WHERE k.business_id = $1::text)`
      : ` AND (c.pinned, c.last_activity_at, c.id) ${cmp} (SELECT k.pinned, k.last_activity_at, k.id FROM (SELECT * FROM conversations WHERE id = $${n}::uuid OFFSET 0) k WHERE k.business_id = $1::text)`;
  }
  values.push(page.limit, page.offset ?? 0);
  return { tail: `FROM conversations c WHERE ${where}${keyset} ORDER BY ${order} LIMIT $${values.length - 1}::int OFFSET $${values.length}::int`, order, values };
}

/**
 * Whether a note mentioning the viewer (parameter `param`) is newer than the viewer's read position
 * in the conversation (none: every mention is unread), for the conversation aliased `alias`.
 */
function unreadMention(param: number): (alias: string) => string {
  return (alias) =>
    `EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = ${alias}.id AND m.channel = 'note' AND m.mention_staff_ids @> ARRAY[$${param}::uuid]
       AND m.created_at > coalesce((SELECT r.last_read_at FROM conversation_reads r WHERE r.conversation_id = ${alias}.id AND r.staff_id = $${param}::uuid), '-infinity'::timestamptz))`;
}

/**
 * Ids of one page of an inbox list, pinned first, then by last activity, newest first. Keyset
 * paging on (pinned, last_activity_at, id) matches the conversations_business_id_*_pinned_last_activity
 * indexes, so a deep page costs what the first page costs.
 */
export async function selectConversationPage(sql: Sql, businessId: string, filter: ConversationListFilter, page: KeysetPage): Promise<string[]> {
  const { tail, values } = pageQuery(businessId, filter, page);
  const rows = await sql.query<{ id: string }>(`SELECT c.id::text AS id ${tail}`, values);
  const ids = rows.map((r) => r.id);
  return page.backwards ? ids.reverse() : ids;
}

/** The to-one relations of a conversation that a page can join in: model, table and foreign key. */
const RELATIONS = {
  client: { model: 'Client', table: 'clients', fk: 'client_id', join: 'JOIN' },
  assignee: { model: 'Staff', table: 'staff', fk: 'assignee_id', join: 'LEFT JOIN' },
  lastMessage: { model: 'Message', table: 'messages', fk: 'last_message_id', join: 'LEFT JOIN' },
  location: { model: 'Location', table: 'locations', fk: 'location_id', join: 'JOIN' },
} as const;

export type ConversationPageRelation = keyof typeof RELATIONS;

/**
 * Columns a joined relation leaves out of the page statement. An email's HTML can be hundreds of
 * kilobytes, and an inbox list shows a preview: fifty of them would make a page megabytes of
 * reads, decompression and parsing that nobody displays. GraphQL's Message.html loads it on demand.
 */
const LEFT_OUT = { lastMessage: ['html'] } as const satisfies Partial<Record<ConversationPageRelation, readonly string[]>>;

/** A conversation as Prisma returns it, with the relations that were asked for (null: none), less LEFT_OUT. */
export type ConversationPageRow = Conversation & { client?: Client; assignee?: Staff | null; lastMessage?: PageMessage | null; location?: Location };

/** A last message as a page carries it: whole but for its HTML, which is absent (undefined) when left out. */
export type PageMessage = Omit<Message, 'html'> & { html?: string | null };

/** Types pg returns as Prisma does (uuid and text as strings, timestamptz as Date, jsonb parsed, arrays as arrays). */
const PG_LIKE_PRISMA = new Set(['String', 'Int', 'Float', 'Boolean', 'DateTime', 'Json']);

/**
 * A model's scalar fields, from Prisma's datamodel, so the select lists follow the schema. Columns
 * are the fields in snake_case (the schema's @map convention).
 */
function scalarFields(model: string): { name: string; isDate: boolean }[] {
  const fields = getDatamodel().datamodel.models[model]?.fields;
  if (!fields) throw new Error(`internal error: model ${model} is not in Prisma's datamodel`);
  return fields.flatMap((f) => {
    if (f.kind === 'object') return [];
    if (f.kind === 'scalar' && !PG_LIKE_PRISMA.has(f.type)) {
      throw new Error(`internal error: ${model}.${f.name} is a ${f.type}, which pg does not return as Prisma does; convert it in selectConversationPageRows`);
    }
    return [{ name: f.name, isDate: f.type === 'DateTime' && !f.isList }];
  });
}

/** A model's scalar fields in column order, and which of them are timestamps. */
interface Layout {
  fields: readonly string[];
  isDate: readonly boolean[];
}

function layout(model: string, leaveOut: readonly string[] = []): Layout {
  const fields = scalarFields(model).filter((f) => !leaveOut.includes(f.name));
  return { fields: fields.map((f) => f.name), isDate: fields.map((f) => f.isDate) };
}

/**
 * A model's columns in the page statement. Timestamps are read as epoch milliseconds (float8, exact
 * for timestamptz(3)): a Date from a number costs far less than pg's parse of timestamp text, and a
 * page carries some twenty timestamps per row.
 */
const columnsOf = (alias: string, { fields, isDate }: Layout) =>
  fields.map((f, i) => {
    const col = `${alias}."${f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}"`;
    return isDate[i] ? `(extract(epoch FROM ${col}) * 1000)::float8` : col;
  });

const CONVERSATION: Layout = layout('Conversation');

const JOINABLE: Record<ConversationPageRelation, Layout> = {
  client: layout(RELATIONS.client.model),
  assignee: layout(RELATIONS.assignee.model),
  lastMessage: layout(RELATIONS.lastMessage.model, LEFT_OUT.lastMessage),
  location: layout(RELATIONS.location.model),
};

/** Scalar fields of Conversation: what every row of selectConversationPageRows carries. */
export const CONVERSATION_FIELDS: readonly string[] = CONVERSATION.fields;

/** Scalar fields of each relation selectConversationPageRows can join in: what a joined row carries (all but LEFT_OUT). */
export const JOINABLE_RELATION_FIELDS: Record<ConversationPageRelation, readonly string[]> = {
  client: JOINABLE.client.fields,
  assignee: JOINABLE.assignee.fields,
  lastMessage: JOINABLE.lastMessage.fields,
  location: JOINABLE.location.fields,
};

const RELATION_NAMES = Object.keys(RELATIONS) as ConversationPageRelation[];

interface PageStatement {
  select: string;
  joins: string;
  /** The relations joined, in the order of their columns, which follow the conversation's. */
  relations: ConversationPageRelation[];
}

function buildPageStatement(joined: ConversationPageRelation[]): PageStatement {
  const list = columnsOf('c', CONVERSATION);
  const joins: string[] = [];
  for (const name of joined) {
    const { table, fk, join } = RELATIONS[name];
    list.push(...columnsOf(`${name}_`, JOINABLE[name]));
    joins.push(`${join} ${table} ${name}_ ON ${name}_.id = c.${fk}`);
  }
  return { select: list.join(', '), joins: joins.join(' '), relations: joined };
}

/** SELECT list and joins for every set of relations (16), built once at load, read-only after. */
const STATEMENTS: ReadonlyMap<string, PageStatement> = new Map(
  Array.from({ length: 2 ** RELATION_NAMES.length }, (_, bits) => {
    const joined = RELATION_NAMES.filter((_r, i) => bits & (1 << i));
    return [joined.join(), buildPageStatement(joined)] as const;
  }),
);

function pageStatement(relations: readonly ConversationPageRelation[]): PageStatement {
  return STATEMENTS.get(RELATION_NAMES.filter((r) => relations.includes(r)).join())!;
}

/**
 * One page of an inbox list as whole rows, with the to-one relations asked for joined in: one
 * statement for what Prisma loads in one per relation. Same order and keyset as selectConversationPage.
 * Rows come back as arrays (pg builds no 70-key objects), read by column position.
 *
 * Why not Prisma's relationJoins (issue 14, tried 2026-12-04 with Prisma 7.10): findMany with
 * `relationLoadStrategy: 'join'` and the same relations (lastMessage with `omit: { html: true }`)
 * was slower at p50 on every page of `npm run bench -- inbox-list` (1.3-2.6x), and at p95 on all but
 * one, within noise (5 runs of 200 requests, medians, GraphQL p50/p95 ms, the paths interleaved in
 * one process; 2 cores, load average 3-5):
 *   page (first / deep)  this statement       Prisma join          Prisma join by ids (id page + findMany)
 *   inbox                6.4/16.6  6.7/17.5   10.7/18.4 15.5/26.6  12.3/31.3 11.8/24.9
 *   view unread          7.2/18.2  7.0/18.5   11.7/24.0 11.7/20.8  12.2/27.4 12.2/23.8
 *   assignee             7.5/18.1  6.8/13.7   10.7/19.9 13.0/26.5  11.3/22.9 11.8/23.7
 *   client group vip     10.7/25.3 8.9/19.1   13.6/24.7 23.2/38.2  14.2/22.8 14.2/25.9
 * Prisma's `cursor` makes it fall back to one query per relation, and Prisma has no row-value
 * comparison, so its deep page needs the cursor's sort key first (a second statement) and an OR
 * keyset that PostgreSQL filters row by row from the start of the list (584 rows removed for the
 * inbox page after row 1,000).
 */
export async function selectConversationPageRows(
  sql: Sql,
  businessId: string,
  filter: ConversationListFilter,
  page: KeysetPage,
  relations: readonly ConversationPageRelation[],
): Promise<ConversationPageRow[]> {
  const { tail, order, values } = pageQuery(businessId, filter, page);
  const statement = pageStatement(relations);
  const text = `SELECT ${statement.select} FROM (SELECT c.* ${tail}) c ${statement.joins} ORDER BY ${order}`;
  // A label filter or the mentions view: planned for its values every time (no name: pg's unnamed statement).
  // A prepared one switches to a generic plan after five runs, which cannot know that one label is on
  // 0.5 % of the conversations and another on 20 %: it walks the whole list for the rare one.
  const planPerValues = Boolean(filter.labelIds?.length) || filter.view === 'mentions';
  const rows = await sql.query<unknown[]>(planPerValues ? { name: '', text, rowMode: 'array' } : { name: statementName(text), text, rowMode: 'array' }, values);
  const out = rows.map((r) => {
    const row = pick(r, 0, CONVERSATION);
    let at = CONVERSATION.fields.length;
    for (const name of statement.relations) {
      const columns = JOINABLE[name];
      row[name] = r[at + columns.fields.indexOf('id')] === null ? null : pick(r, at, columns); // no row joined: null
      at += columns.fields.length;
    }
    return row as ConversationPageRow;
  });
  return page.backwards ? out.reverse() : out;
}

/**
 * A named (prepared) statement per distinct text: each connection parses it once instead of on
 * every page (PostgreSQL still plans each execution for its values). The text depends only on which
 * filters and relations a page uses, never on values, so a connection keeps one per combination in use.
 */
function statementName(text: string): string {
  return `omega_conversation_page_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
}

function pick(r: unknown[], from: number, { fields, isDate }: Layout): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i < fields.length; i++) {
    const v = r[from + i];
    o[fields[i]!] = isDate[i] && v !== null ? new Date(v as number) : v;
  }
  return o;
}

export async function countConversations(sql: Sql, businessId: string, filter: ConversationListFilter): Promise<number> {
  const { where, values } = buildWhere(businessId, filter);
  const rows = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations c WHERE ${where}`, values);
  return rows[0]?.n ?? 0;
}

/** Ids of the conversations a list filter matches, in id order, at most `limit` (bulk actions by filter). */
export async function selectConversationIdsMatching(sql: Sql, businessId: string, filter: ConversationListFilter, limit: number): Promise<string[]> {
  const { where, values } = buildWhere(businessId, filter);
  values.push(limit);
  const rows = await sql.query<{ id: string }>(`SELECT c.id::text AS id FROM conversations c WHERE ${where} ORDER BY c.id LIMIT $${values.length}::int`, values);
  return rows.map((r) => r.id);
}

/**
 * Locks, in id order, those of these conversations of the business that the filter (if any) still
 * matches, and answers their ids: a bulk action's chunk acts on what matches when it runs.
 */
export async function lockConversationsMatching(sql: Sql, businessId: string, filter: ConversationListFilter | null, conversationIds: readonly string[]): Promise<string[]> {
  const { where, values } = buildWhere(businessId, filter ?? { view: 'all' });
  values.push(conversationIds);
  const rows = await sql.query<{ id: string }>(`SELECT c.id::text AS id FROM conversations c WHERE ${where} AND c.id = ANY($${values.length}::uuid[]) ORDER BY c.id FOR UPDATE OF c`, values);
  return rows.map((r) => r.id);
}
