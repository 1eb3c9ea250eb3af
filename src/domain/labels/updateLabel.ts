import { isUniqueViolation } from '../../db/isUniqueViolation.js';
import { runTransaction } from '../../db/transaction.js';
import { authorizeBusiness } from '../auth/authorizeBusiness.js';
import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import { assertUuid } from '../ids.js';
import { publishLabelChanged } from './createLabel.js';
import { checkLabelFields, LABEL_FIELDS, labelNameTaken, labelNotFound, type LabelView } from './labelFields.js';

export interface UpdateLabelInput {
  principal: Principal | null;
  businessId: string;
  id: string;
  /** Each field left out (undefined) stays as it is. */
  name?: string;
  color?: string;
  /** null: none. */
  description?: string | null;
}

/** Renames, recolours or redescribes a label, with createLabel's rules; a label.changed event (action updated). */
export async function updateLabel(deps: Deps, input: UpdateLabelInput): Promise<LabelView> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  const id = assertUuid(input.id, ['id']);
  if (input.name === undefined && input.color === undefined && input.description === undefined) {
    throw new ValidationError([{ type: 'missing', loc: ['name'], msg: 'Give at least one of name, color, description' }]);
  }
  const fields = checkLabelFields({ name: input.name, color: input.color, description: input.description });
  try {
    return await runTransaction(deps, async (tx) => {
      const { count } = await tx.prisma.label.updateMany({ where: { id, businessId: input.businessId }, data: fields });
      if (count === 0) throw labelNotFound(id, input.businessId);
      const label = await tx.prisma.label.findUniqueOrThrow({ where: { id }, select: LABEL_FIELDS });
      await publishLabelChanged(tx.sql, label, 'updated');
      return label;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw labelNameTaken(fields.name!);
    throw err;
  }
}
