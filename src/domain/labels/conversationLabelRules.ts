// The rules of labels on conversations, in one place for changeConversationLabels (one
// conversation) and bulkUpdateConversations (many): which label ids are acceptable, and the
// change with its events, inside the caller's transaction.
import { deleteConversationLabels } from '../../db/sql/deleteConversationLabels.js';
import { insertConversationLabels } from '../../db/sql/insertConversationLabels.js';
import { insertInboxEvents } from '../../db/sql/insertInboxEvent.js';
import type { Tx } from '../../db/tx.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import { assertUuid } from '../ids.js';
import { labelNotFound, MAX_LABEL_IDS } from './labelFields.js';
import { labelsChangedPayload } from './labelsChangedPayload.js';

/**
 * Label ids to add or remove: UUIDs, at most MAX_LABEL_IDS each, none in both lists, every one a
 * label of the business (404 LABEL_NOT_FOUND naming the first that is not). Duplicates count once.
 */
export async function checkLabelIds(
  tx: Pick<Tx, 'prisma'>,
  businessId: string,
  lists: { add: readonly string[]; remove: readonly string[] },
  loc: (string | number)[] = [],
): Promise<{ add: string[]; remove: string[] }> {
  const issues: FieldIssue[] = [];
  const clean = (ids: readonly string[], field: string) => {
    if (ids.length > MAX_LABEL_IDS) issues.push({ type: 'too_long', loc: [...loc, field], msg: `At most ${MAX_LABEL_IDS} labels at once`, input: ids.length });
    return [...new Set(ids.map((id, i) => assertUuid(id, [...loc, field, i])))];
  };
  const add = clean(lists.add, 'addLabelIds');
  const remove = clean(lists.remove, 'removeLabelIds');
  const both = add.filter((id) => remove.includes(id));
  if (both.length) issues.push({ type: 'value_error', loc: [...loc, 'removeLabelIds'], msg: 'A label cannot be both added and removed', input: both[0] });
  if (issues.length) throw new ValidationError(issues);
  const all = [...add, ...remove];
  if (all.length) {
    const found = new Set((await tx.prisma.label.findMany({ where: { businessId, id: { in: all } }, select: { id: true } })).map((l) => l.id));
    const missing = all.find((id) => !found.has(id));
    if (missing) throw labelNotFound(missing, businessId);
  }
  return { add, remove };
}

export interface LabelChange {
  added: string[];
  removed: string[];
}

/**
 * Adds and removes labels on conversations the caller has locked (lockConversations, id order), and
 * publishes one conversation.updated event (change labels) for each conversation that changed, in
 * the caller's transaction. A label already on (or already off) a conversation is no change.
 */
export async function applyConversationLabels(
  tx: Tx,
  businessId: string,
  conversationIds: readonly string[],
  change: { add: readonly string[]; remove: readonly string[] },
): Promise<Map<string, LabelChange>> {
  const added = await insertConversationLabels(tx.sql, businessId, conversationIds, change.add);
  const removed = await deleteConversationLabels(tx.sql, businessId, conversationIds, change.remove);
  const out = new Map<string, LabelChange>();
  for (const id of conversationIds) {
    const a = added.get(id) ?? [];
    const r = removed.get(id) ?? [];
    if (a.length || r.length) out.set(id, { added: a, removed: r });
  }
  await insertInboxEvents(
    tx.sql,
    businessId,
    [...out].map(([conversationId, c]) => ({ type: 'conversation.updated', conversationId, payload: labelsChangedPayload(c.added, c.removed) })),
  );
  return out;
}
