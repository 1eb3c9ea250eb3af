import { isUniqueViolation } from '../../db/isUniqueViolation.js';
import { lockKey } from '../../db/sql/locks.js';
import { runTransaction } from '../../db/transaction.js';
import { authorizeBusiness } from '../auth/authorizeBusiness.js';
import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { ConflictError } from '../errors.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';
import { checkLabelFields, LABEL_FIELDS, labelNameTaken, MAX_LABELS, type LabelView } from './labelFields.js';

export interface CreateLabelInput {
  principal: Principal | null;
  businessId: string;
  name: string;
  color: string;
  description?: string | null;
}

/**
 * A new label of a business (keys and sessions alike): a name unique whatever its case (409
 * LABEL_NAME_TAKEN), a `#rrggbb` colour, at most MAX_LABELS per business (409 LABEL_LIMIT). A
 * label.changed event (action created) in the same transaction.
 */
export async function createLabel(deps: Deps, input: CreateLabelInput): Promise<LabelView> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  const fields = checkLabelFields({ name: input.name, color: input.color, description: input.description ?? null });
  const businessId = input.businessId;
  try {
    return await runTransaction(deps, async (tx) => {
      // One creation at a time per business, so two at once cannot both pass the count.
      await lockKey(tx.sql, `labels:${businessId}`);
      const count = await tx.prisma.label.count({ where: { businessId } });
      if (count >= MAX_LABELS) {
        throw new ConflictError('LABEL_LIMIT', `Business ${JSON.stringify(businessId)} has ${count} labels, the most it may have (${MAX_LABELS}); delete one first.`);
      }
      const label = await tx.prisma.label.create({
        data: { businessId, name: fields.name!, color: fields.color!, description: fields.description ?? null },
        select: LABEL_FIELDS,
      });
      await publishLabelChanged(tx.sql, label, 'created');
      return label;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw labelNameTaken(fields.name!);
    throw err;
  }
}

export type LabelAction = 'created' | 'updated' | 'deleted';

/** The label.changed event of a label's creation, change or deletion. */
export async function publishLabelChanged(sql: Parameters<typeof publishInboxEvent>[0], label: LabelView, action: LabelAction, extra: Record<string, unknown> = {}): Promise<void> {
  await publishInboxEvent(sql, {
    businessId: label.businessId,
    type: 'label.changed',
    payload: { action, labelId: label.id, name: label.name, color: label.color, description: label.description, ...extra },
  });
}
