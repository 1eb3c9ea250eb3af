import type { Sql } from '../../db/sqlHandle.js';
import { selectTemplateForSend } from '../../db/sql/selectTemplateForSend.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import { assertUuid } from '../ids.js';
import type { ResolvedTemplate } from '../sending/sendRequest.js';
import { savedReplyNotFound } from './savedReplyFields.js';
import { parseTemplateField, type ParsedTemplate } from './template.js';

/**
 * A send's saved reply, once per request (one statement): it must be the business's (else 404
 * SAVED_REPLY_NOT_FOUND) and for this channel or any (else 422 on templateId). The body (and an
 * email's subject) given with it replace the reply's; whichever is used is parsed here, so a
 * malformed replacement is a 422 on its field before anything is stored.
 */
export async function resolveTemplateForSend(
  sql: Sql,
  input: { businessId: string; templateId: string; channel: 'sms' | 'email'; staffId: string | null; body: string | null; subject: string | null; bodyField: string },
): Promise<ResolvedTemplate> {
  const id = assertUuid(input.templateId, ['templateId']);
  const row = await selectTemplateForSend(sql, input.businessId, id, input.staffId);
  if (!row) throw savedReplyNotFound(input.templateId, input.businessId);
  if (row.channel !== 'any' && row.channel !== input.channel) {
    throw new ValidationError([{ type: 'value_error', loc: ['templateId'], msg: `Saved reply ${row.id} is for ${row.channel}; it cannot be sent as ${input.channel}`, input: input.templateId }]);
  }
  const issues: FieldIssue[] = [];
  const parse = (source: string, loc: string): ParsedTemplate | null => {
    const parsed = parseTemplateField(source, [loc]);
    if ('issue' in parsed) {
      issues.push(parsed.issue);
      return null;
    }
    return parsed.template;
  };
  const body = parse(input.body ?? row.body, input.body !== null ? input.bodyField : 'templateId');
  const subjectSource = input.channel === 'email' ? (input.subject ?? row.subject) : null;
  const subject = subjectSource !== null ? parse(subjectSource, input.subject !== null ? 'subject' : 'templateId') : null;
  if (issues.length || !body) throw new ValidationError(issues);
  return { id: row.id, body, subject, businessName: row.business_name, staffFirstName: row.staff_first_name };
}
