import type { Sql } from '../sqlHandle.js';
import type { KeysetPage } from './selectConversationPage.js';

export interface MessageListFilter {
  channel?: 'sms' | 'email' | 'voice' | 'note';
  direction?: 'inbound' | 'outbound' | 'internal';
  status?: string[];
  /** created_at < before */
  before?: Date;
  /** created_at >= after */
  after?: Date;
}

/** One page of a conversation's messages, newest first, keyset on (created_at, id). */
export async function selectMessagePage(sql: Sql, businessId: string, conversationId: string, filter: MessageListFilter, page: KeysetPage): Promise<string[]> {
  const values: unknown[] = [businessId, conversationId];
  const p = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const clauses = ['m.business_id = $1::text', 'm.conversation_id = $2::uuid'];
  if (filter.channel) clauses.push(`m.channel = ${p(filter.channel)}::channel`);
  if (filter.direction) clauses.push(`m.direction = ${p(filter.direction)}::direction`);
  if (filter.status?.length) clauses.push(`m.status = ANY(${p(filter.status)}::message_status[])`);
  if (filter.before) clauses.push(`m.created_at < ${p(filter.before.toISOString())}::timestamptz`);
  if (filter.after) clauses.push(`m.created_at >= ${p(filter.after.toISOString())}::timestamptz`);
  if (page.afterId) {
    clauses.push(`(m.created_at, m.id) ${page.backwards ? '>' : '<'} (SELECT k.created_at, k.id FROM messages k WHERE k.id = ${p(page.afterId)}::uuid AND k.conversation_id = $2::uuid)`);
  }
  const order = page.backwards ? 'm.created_at ASC, m.id ASC' : 'm.created_at DESC, m.id DESC';
  const limit = p(page.limit);
  const offset = p(page.offset ?? 0);
  const rows = await sql.query<{ id: string }>(`SELECT m.id::text AS id FROM messages m WHERE ${clauses.join(' AND ')} ORDER BY ${order} LIMIT ${limit}::int OFFSET ${offset}::int`, values);
  const ids = rows.map((r) => r.id);
  return page.backwards ? ids.reverse() : ids;
}
