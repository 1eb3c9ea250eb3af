import type { Deps } from '../deps.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import { countSmsSegments, type SmsSegments } from './countSmsSegments.js';
import { queueOutbound } from './queueOutbound.js';
import type { QueueOutboundInput, QueueResult } from './sendRequest.js';

/** Twilio's limit on a message body (characters); longer bodies are refused by the API. */
export const SMS_MAX_LENGTH = 1600;
export const SMS_MAX_MEDIA = 10;

export type QueueSmsInput = Omit<QueueOutboundInput, 'channel' | 'content'> & { body: string; mediaUrls?: string[] | null };

export interface QueueSmsResult extends QueueResult {
  segments: SmsSegments;
}

/** Queue an SMS (or MMS, with media) to one or many recipients; see queueOutbound for the guarantees. */
export async function queueSms(deps: Deps, input: QueueSmsInput): Promise<QueueSmsResult> {
  const issues: FieldIssue[] = [];
  const media = input.mediaUrls ?? [];
  if (input.body.trim() === '' && media.length === 0) issues.push({ type: 'string_too_short', loc: ['body'], msg: 'The message is empty: give a body or media', input: input.body });
  if (input.body.length > SMS_MAX_LENGTH) issues.push({ type: 'string_too_long', loc: ['body'], msg: `At most ${SMS_MAX_LENGTH} characters (Twilio's limit)`, input: input.body.length });
  if (media.length > SMS_MAX_MEDIA) issues.push({ type: 'too_long', loc: ['mediaUrls'], msg: `At most ${SMS_MAX_MEDIA} media URLs` });
  media.forEach((url, i) => {
    if (!/^https?:\/\/[^\s/]+\.[^\s]*$/i.test(url)) issues.push({ type: 'url_parsing', loc: ['mediaUrls', i], msg: 'Media must be a public http(s) URL', input: url });
  });
  if (issues.length) throw new ValidationError(issues);
  const result = await queueOutbound(deps, {
    ...input,
    channel: 'sms',
    content: { body: input.body, subject: null, html: null, media: media.map((url) => ({ url })) },
  });
  return { ...result, segments: countSmsSegments(input.body) };
}
