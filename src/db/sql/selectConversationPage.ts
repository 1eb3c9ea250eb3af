import type { Pool } from '../pool.js';

/** Which conversations an inbox list shows. Every field narrows; absent fields do not. */
export interface ConversationListFilter {
  /**
   * inbox (default): everything but archived; all; open; snoozed; archived;
   * unread / read: by unread inbound messages; replied / unreplied: by who spoke last. Not archived unless `archived`.
   */
  view?: 'inbox' | 'all' | 'open' | 'snoozed' | 'archived' | 'unread' | 'read' | 'replied' | 'unreplied';
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

/**
 * Ids of one page of an inbox list, pinned first, then by last activity, newest first. Keyset
 * paging on (pinned, last_activity_at, id) matches the conversations_business_id_*_pinned_last_activity
 * indexes, so a deep page costs what the first page costs.
 */
export async function selectConversationPage(pool: Pool, businessId: string, filter: ConversationListFilter, page: KeysetPage): Promise<string[]> {
  const { where, values } = buildWhere(businessId, filter);
  const cmp = page.backwards ? '>' : '<';
  const order = page.backwards ? 'c.pinned ASC, c.last_activity_at ASC, c.id ASC' : 'c.pinned DESC, c.last_activity_at DESC, c.id DESC';
  let keyset = '';
  if (page.afterId) {
    values.push(page.afterId);
    const n = values.length;
    keyset = ` AND (c.pinned, c.last_activity_at, c.id) ${cmp} (SELECT k.pinned, k.last_activity_at, k.id FROM conversations k WHERE k.id = $${n}::uuid AND k.business_id = $1::text)`;
  }
  values.push(page.limit, page.offset ?? 0);
  const { rows } = await pool.query<{ id: string }>(
    `SELECT c.id::text AS id FROM conversations c WHERE ${where}${keyset} ORDER BY ${order} LIMIT $${values.length - 1}::int OFFSET $${values.length}::int`,
    values,
  );
  const ids = rows.map((r) => r.id);
  return page.backwards ? ids.reverse() : ids;
}

export async function countConversations(pool: Pool, businessId: string, filter: ConversationListFilter): Promise<number> {
  const { where, values } = buildWhere(businessId, filter);
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations c WHERE ${where}`, values);
  return rows[0]?.n ?? 0;
}
