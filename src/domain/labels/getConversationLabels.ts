import { selectConversationLabels, type ConversationLabelRow } from '../../db/sql/selectConversationLabels.js';
import type { Deps } from '../deps.js';
import type { LabelView } from './labelFields.js';

/** The labels of these conversations of a business, by conversation (one statement, whatever their number); each list by name. */
export async function getConversationsLabels(deps: Deps, businessId: string, conversationIds: readonly string[]): Promise<Map<string, LabelView[]>> {
  const rows = await selectConversationLabels(deps.sql, businessId, conversationIds);
  const out = new Map<string, LabelView[]>(conversationIds.map((id) => [id, []]));
  for (const r of rows) out.get(r.conversationId)?.push(toLabelView(r));
  return out;
}

function toLabelView({ conversationId: _c, ...label }: ConversationLabelRow): LabelView {
  return label;
}
