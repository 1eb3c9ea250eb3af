import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import { recordMessage, type RecordMessageInput, type RecordResult } from './recordMessage.js';
import { EMAIL_SUBJECT_MAX } from './queueEmail.js';

export type RecordEmailInput = Omit<RecordMessageInput, 'channel' | 'mediaUrls' | 'body'> & { text?: string | null };

/** Record an email sent or received elsewhere (nothing is sent); deduplicated by provider_message_id. */
export async function recordEmail(deps: Deps, input: RecordEmailInput): Promise<RecordResult> {
  if ((input.subject?.length ?? 0) > EMAIL_SUBJECT_MAX) {
    throw new ValidationError([{ type: 'string_too_long', loc: ['subject'], msg: `At most ${EMAIL_SUBJECT_MAX} characters` }]);
  }
  const { text, ...rest } = input;
  return recordMessage(deps, { ...rest, body: text ?? null, channel: 'email' });
}
