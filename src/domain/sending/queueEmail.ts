import type { Deps } from '../deps.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import { queueOutbound } from './queueOutbound.js';
import type { QueueOutboundInput, QueueResult } from './sendRequest.js';

export const EMAIL_SUBJECT_MAX = 998;
export const EMAIL_HTML_MAX = 1_000_000;
export const EMAIL_TEXT_MAX = 500_000;

export type QueueEmailInput = Omit<QueueOutboundInput, 'channel' | 'content'> & { subject: string; html?: string | null; text?: string | null };

/** Queue an email (HTML and/or plain text) to one or many recipients; see queueOutbound for the guarantees. */
export async function queueEmail(deps: Deps, input: QueueEmailInput): Promise<QueueResult> {
  const issues: FieldIssue[] = [];
  const subject = input.subject.trim();
  if (!subject) issues.push({ type: 'string_too_short', loc: ['subject'], msg: 'The subject is empty', input: input.subject });
  if (subject.length > EMAIL_SUBJECT_MAX) issues.push({ type: 'string_too_long', loc: ['subject'], msg: `At most ${EMAIL_SUBJECT_MAX} characters` });
  // A line break in a header would let the subject inject other headers.
  if (/[\r\n]/.test(subject)) issues.push({ type: 'value_error', loc: ['subject'], msg: 'The subject cannot contain line breaks', input: input.subject });
  const html = input.html?.trim() ? input.html : null;
  const text = input.text?.trim() ? input.text : null;
  if (!html && !text) issues.push({ type: 'missing', loc: ['html'], msg: 'Give html, text, or both' });
  if (html && html.length > EMAIL_HTML_MAX) issues.push({ type: 'string_too_long', loc: ['html'], msg: `At most ${EMAIL_HTML_MAX} characters` });
  if (text && text.length > EMAIL_TEXT_MAX) issues.push({ type: 'string_too_long', loc: ['text'], msg: `At most ${EMAIL_TEXT_MAX} characters` });
  if (issues.length) throw new ValidationError(issues);
  return queueOutbound(deps, { ...input, channel: 'email', content: { subject, html, body: text, media: [] } });
}
