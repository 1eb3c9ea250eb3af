import type { FieldIssue } from '../errors.js';
import type { ResolvedTemplate } from '../sending/sendRequest.js';
import { renderTemplate, type ParsedTemplate } from './template.js';
import { templateValues } from './templateValues.js';

/**
 * One recipient's text of a templated send, rendered in memory from the rows the batch already
 * holds (no statement per recipient). A variable without a value and without a fallback is an
 * issue naming the recipient and the variable: a send never goes out with a hole in it.
 */
export function renderForRecipient(
  template: ResolvedTemplate,
  recipient: { loc: (string | number)[]; to: string; client: { id: string; firstName: string | null; lastName: string | null }; location: { name: string; smsPhoneNumber: string | null } },
): { body: string; subject: string | null; issues: FieldIssue[] } {
  const values = templateValues({ client: recipient.client, location: recipient.location, staffFirstName: template.staffFirstName, businessName: template.businessName });
  const issues: FieldIssue[] = [];
  const render = (parsed: ParsedTemplate, field: string) => {
    const out = renderTemplate(parsed, values);
    for (const m of out.missing) {
      if (m.usedFallback) continue;
      issues.push({
        type: 'template_value_missing',
        loc: recipient.loc,
        msg: `Recipient ${recipient.to} (client ${recipient.client.id}): {{${m.variable}}} in the ${field} has no value and no fallback; give the client one, or use a fallback such as {{${m.variable} | "..."}}`,
        input: m.variable,
      });
    }
    return out.text;
  };
  const body = render(template.body, 'body');
  const subject = template.subject ? render(template.subject, 'subject') : null;
  return { body, subject, issues };
}
