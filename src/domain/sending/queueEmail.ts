import type { Deps } from '../deps.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import { queueOutbound } from './queueOutbound.js';
import type { QueueOutboundInput, QueueResult } from './sendRequest.js';

import { EMAIL_HTML_MAX, EMAIL_SUBJECT_MAX, EMAIL_TEXT_MAX } from './sendLimits.js';

export { EMAIL_HTML_MAX, EMAIL_SUBJECT_MAX, EMAIL_TEXT_MAX } from './sendLimits.js';

/**
 * subject: omitted, the reply's subject in the recipient's conversation ("Re: <last subject>"; 422
 * when the conversation has no earlier email), or the saved reply's. With templateId, `text`
 * replaces the reply's body (a template too) and `html` is refused: a template renders plain text.
 */
export type QueueEmailInput = Omit<QueueOutboundInput, 'channel' | 'content'> & { subject?: string | null; html?: string | null; text?: string | null };

/** Queue an email (HTML and/or plain text) to one or many recipients; see queueOutbound for the guarantees. */
export async function queueEmail(deps: Deps, input: QueueEmailInput): Promise<QueueResult> {
  const issues: FieldIssue[] = [];
  const templated = input.templateId != null;
  // No subject: the recipient's conversation gives one (a reply), or the saved reply (queueBatch).
  const subject = input.subject?.trim() || null;
  if (input.subject != null && !subject)
    issues.push({ type: 'string_too_short', loc: ['subject'], msg: "The subject is empty (leave it out to reply in the conversation's thread)", input: input.subject });
  if (subject && subject.length > EMAIL_SUBJECT_MAX) issues.push({ type: 'string_too_long', loc: ['subject'], msg: `At most ${EMAIL_SUBJECT_MAX} characters` });
  // A line break in a header would let the subject inject other headers.
  if (subject && /[\r\n]/.test(subject)) issues.push({ type: 'value_error', loc: ['subject'], msg: 'The subject cannot contain line breaks', input: input.subject });
  const html = input.html?.trim() ? input.html : null;
  const text = input.text?.trim() ? input.text : null;
  if (templated && html) issues.push({ type: 'value_error', loc: ['html'], msg: "A saved reply renders plain text: leave html out (text replaces the reply's body)" });
  if (!templated && !html && !text) issues.push({ type: 'missing', loc: ['html'], msg: 'Give html, text, or both' });
  if (html && html.length > EMAIL_HTML_MAX) issues.push({ type: 'string_too_long', loc: ['html'], msg: `At most ${EMAIL_HTML_MAX} characters` });
  if (text && text.length > EMAIL_TEXT_MAX) issues.push({ type: 'string_too_long', loc: ['text'], msg: `At most ${EMAIL_TEXT_MAX} characters` });
  if (issues.length) throw new ValidationError(issues);
  return queueOutbound(deps, { ...input, channel: 'email', content: { subject, html, body: text, media: [] } });
}
