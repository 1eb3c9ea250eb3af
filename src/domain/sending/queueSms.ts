import type { Deps } from '../deps.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import { countSmsSegments, type SmsSegments } from './countSmsSegments.js';
import { queueOutbound } from './queueOutbound.js';
import type { QueueOutboundInput, QueueResult } from './sendRequest.js';

import { SMS_MAX_LENGTH, SMS_MAX_MEDIA } from './sendLimits.js';

export { SMS_MAX_LENGTH, SMS_MAX_MEDIA } from './sendLimits.js';

/** Without templateId the body is required; with it, a body given replaces the saved reply's (and is a template too). */
export type QueueSmsInput = Omit<QueueOutboundInput, 'channel' | 'content'> & { body?: string | null; mediaUrls?: string[] | null };

export interface QueueSmsResult extends QueueResult {
  /** The body's segments; with a template, those of the longest body rendered (each recipient's may differ). */
  segments: SmsSegments;
}

/** Queue an SMS (or MMS, with media) to one or many recipients; see queueOutbound for the guarantees. */
export async function queueSms(deps: Deps, input: QueueSmsInput): Promise<QueueSmsResult> {
  const issues: FieldIssue[] = [];
  const media = input.mediaUrls ?? [];
  const templated = input.templateId != null;
  const body = input.body ?? null;
  if (body === null && !templated) issues.push({ type: 'missing', loc: ['body'], msg: 'Give a body, or a saved reply (templateId)' });
  if (body !== null && body.trim() === '' && media.length === 0 && !templated)
    issues.push({ type: 'string_too_short', loc: ['body'], msg: 'The message is empty: give a body or media', input: input.body });
  if (body !== null && body.length > SMS_MAX_LENGTH) issues.push({ type: 'string_too_long', loc: ['body'], msg: `At most ${SMS_MAX_LENGTH} characters (Twilio's limit)`, input: body.length });
  if (media.length > SMS_MAX_MEDIA) issues.push({ type: 'too_long', loc: ['mediaUrls'], msg: `At most ${SMS_MAX_MEDIA} media URLs` });
  media.forEach((url, i) => {
    if (!/^https?:\/\/[^\s/]+\.[^\s]*$/i.test(url)) issues.push({ type: 'url_parsing', loc: ['mediaUrls', i], msg: 'Media must be a public http(s) URL', input: url });
  });
  if (issues.length) throw new ValidationError(issues);
  const result = await queueOutbound(deps, {
    ...input,
    channel: 'sms',
    content: { body: templated && body?.trim() === '' ? null : body, subject: null, html: null, media: media.map((url) => ({ url })) },
  });
  if (!templated) return { ...result, segments: countSmsSegments(body ?? '') };
  const counted = (result.renderedBodies ?? []).map(countSmsSegments);
  return { ...result, segments: counted.reduce((max, s) => (s.segments > max.segments || (s.segments === max.segments && s.units > max.units) ? s : max), countSmsSegments('')) };
}
