// The rules of a label's fields, shared by create and update (GraphQL and REST alike).
import type { Label } from '../../generated/prisma/client.js';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../errors.js';

/** At most this many labels per business (409 LABEL_LIMIT past it). */
export const MAX_LABELS = 500;
export const MAX_LABEL_NAME_LENGTH = 50;
export const MAX_LABEL_DESCRIPTION_LENGTH = 500;
/** At most this many labels in one add or remove (a business has at most MAX_LABELS). */
export const MAX_LABEL_IDS = 50;
export const LABEL_COLOR_PATTERN = '^#[0-9A-Fa-f]{6}$';
const COLOR = new RegExp(LABEL_COLOR_PATTERN);

export type LabelView = Pick<Label, 'id' | 'businessId' | 'name' | 'color' | 'description' | 'createdAt' | 'updatedAt'>;

export const LABEL_FIELDS = { id: true, businessId: true, name: true, color: true, description: true, createdAt: true, updatedAt: true } as const;

export interface LabelFieldsInput {
  name?: string;
  color?: string;
  /** null: none. */
  description?: string | null;
}

/**
 * The fields as stored: the name trimmed (1 to 50 characters, no control characters), the colour
 * `#rrggbb` in lower case, the description trimmed (empty: none). Every problem at once.
 */
export function checkLabelFields(input: LabelFieldsInput): LabelFieldsInput {
  const issues: FieldIssue[] = [];
  const out: LabelFieldsInput = {};
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (name.length === 0) issues.push({ type: 'string_too_short', loc: ['name'], msg: 'A label needs a name', input: input.name });
    else if ([...name].length > MAX_LABEL_NAME_LENGTH) issues.push({ type: 'string_too_long', loc: ['name'], msg: `At most ${MAX_LABEL_NAME_LENGTH} characters`, input: input.name });
    // eslint-disable-next-line no-control-regex
    else if (/[\u0000-\u001f\u007f]/.test(name)) issues.push({ type: 'value_error', loc: ['name'], msg: 'No control characters (tabs, newlines) in a label name', input: input.name });
    else out.name = name;
  }
  if (input.color !== undefined) {
    if (!COLOR.test(input.color)) issues.push({ type: 'string_pattern_mismatch', loc: ['color'], msg: 'A colour is "#rrggbb" (hex), e.g. "#1f8a70"', input: input.color });
    else out.color = input.color.toLowerCase();
  }
  if (input.description !== undefined) {
    const description = input.description?.trim() ?? '';
    if (description.length > MAX_LABEL_DESCRIPTION_LENGTH)
      issues.push({ type: 'string_too_long', loc: ['description'], msg: `At most ${MAX_LABEL_DESCRIPTION_LENGTH} characters`, input: input.description });
    else out.description = description || null;
  }
  if (issues.length) throw new ValidationError(issues);
  return out;
}

export function labelNotFound(id: string, businessId: string): NotFoundError {
  return new NotFoundError('LABEL_NOT_FOUND', `No label ${id} in business ${JSON.stringify(businessId)}.`);
}

/** 409: the business has a label of this name already, whatever its case. */
export function labelNameTaken(name: string): ConflictError {
  return new ConflictError('LABEL_NAME_TAKEN', `The business already has a label named ${JSON.stringify(name)} (names are unique whatever their case).`);
}
