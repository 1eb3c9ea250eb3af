import type { ProviderSms, SendFailed } from '../../channels/types.js';
import { selectTakenProviderIds } from '../../db/sql/selectTakenProviderIds.js';
import type { Deps } from '../deps.js';
import { interruptedSince, matchInterruptedSms, utcDay, type InterruptedSms } from './matchInterruptedSms.js';

export type InterruptedSmsCheck =
  /** The interrupted attempt reached the provider: this is its message; record it, send nothing. */
  | { outcome: 'adopt'; sms: ProviderSms }
  /** The provider has no message of that attempt: it never got there; send. */
  | { outcome: 'send' }
  /** The provider could not be asked: do not send blind, try again later. */
  | { outcome: 'unknown'; failure: SendFailed };

/**
 * Twilio has no idempotency key. Before sending again an SMS whose previous attempt was interrupted
 * (a crash or kill mid-call leaves it `sending`), ask the provider for its messages to that
 * recipient sent on or after the UTC day the attempt could begin (Twilio's DateSent filters by
 * day), and take the earliest that matches the attempt (matchInterruptedSms) and is not already
 * another message's. None found within the channel's listSettleMs of the attempt: ask again later.
 */
export async function checkInterruptedSms(deps: Deps, input: InterruptedSms & { messageId: string; businessId: string }): Promise<InterruptedSmsCheck> {
  const channel = deps.channels.sms;
  const listed = await channel.listSent({ businessId: input.businessId, to: input.to, sentOnOrAfter: utcDay(interruptedSince(input.claimedAt)) });
  if (!listed.ok) return { outcome: 'unknown', failure: listed };
  const matches = matchInterruptedSms(listed.messages, input);
  if (matches.length === 0) {
    // Too soon for "not there" to mean "never got there": Twilio lists a message only once it has
    // left its queue. Wait (stay `sending`, retry later) rather than send what may be queued.
    const waitedMs = deps.clock.now().getTime() - input.claimedAt.getTime();
    if (waitedMs < channel.listSettleMs) {
      return {
        outcome: 'unknown',
        failure: {
          ok: false,
          kind: 'transient',
          provider: channel.provider,
          code: 'NOT_LISTED_YET',
          message: `${channel.provider} lists no message of the interrupted attempt yet, ${Math.round(waitedMs / 1000)} s after it began; it may still be queued there, so it is checked again later.`,
          httpStatus: null,
        },
      };
    }
    return { outcome: 'send' };
  }
  const taken = await selectTakenProviderIds(
    deps.sql,
    channel.provider,
    matches.map((m) => m.providerMessageId),
    input.messageId,
  );
  const sms = matches.find((m) => !taken.has(m.providerMessageId));
  return sms ? { outcome: 'adopt', sms } : { outcome: 'send' };
}
