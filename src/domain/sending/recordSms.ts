import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import { recordMessage, type RecordMessageInput, type RecordResult } from './recordMessage.js';
import { SMS_MAX_LENGTH } from './queueSms.js';

export type RecordSmsInput = Omit<RecordMessageInput, 'channel' | 'subject' | 'html'>;

/** Record an SMS sent or received elsewhere (nothing is sent); deduplicated by provider_message_id. */
export async function recordSms(deps: Deps, input: RecordSmsInput): Promise<RecordResult> {
  if ((input.body?.length ?? 0) > SMS_MAX_LENGTH) {
    throw new ValidationError([{ type: 'string_too_long', loc: ['body'], msg: `At most ${SMS_MAX_LENGTH} characters`, input: input.body!.length }]);
  }
  return recordMessage(deps, { ...input, channel: 'sms' });
}
