// The consent keywords of inbound SMS. Carriers and Twilio treat a message that is exactly one of
// these words (any case, surrounding spaces and punctuation ignored) as a consent instruction.

export type SmsKeyword = 'stop' | 'start' | 'help';

const STOP = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const START = new Set(['START', 'UNSTOP', 'YES']);
const HELP = new Set(['HELP', 'INFO']);

/**
 * The keyword an inbound SMS carries, if any. Twilio's OptOutType (STOP, START, HELP; sent with
 * Advanced Opt-Out, which also knows the account's custom and other-language keywords) wins over
 * our own reading of the body.
 */
export function smsKeyword(body: string | null, optOutType?: string | null): SmsKeyword | null {
  const reported = optOutType?.trim().toUpperCase();
  if (reported === 'STOP' || reported === 'START' || reported === 'HELP') return reported.toLowerCase() as SmsKeyword;
  const word = (body ?? '')
    .trim()
    .replace(/^[\s.!?,;:'"()]+|[\s.!?,;:'"()]+$/g, '')
    .toUpperCase();
  if (STOP.has(word)) return 'stop';
  if (START.has(word)) return 'start';
  if (HELP.has(word)) return 'help';
  return null;
}
