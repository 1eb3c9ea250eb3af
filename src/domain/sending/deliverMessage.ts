import type { SendFailed, SendResult } from '../../channels/types.js';
import { addJob } from '../../db/sql/addJob.js';
import { claimMessagesForSend, claimStatement, type ClaimedMessage } from '../../db/sql/claimMessagesForSend.js';
import { requeueMessage } from '../../db/sql/requeueMessage.js';
import type { Deps } from '../deps.js';
import { checkInterruptedSms } from './checkInterruptedSms.js';
import { isRateLimited, keepSlot, paceSend, requeueSendJob, resendRateLimited, senderRefOf } from './pacing/paceSend.js';
import { emailTags } from './emailTags.js';
import { emailThreadHeaders } from './emailThreading.js';
import { resolveEmailFrom } from './resolveEmailFrom.js';
import { resolveSmsSender } from './resolveSmsSender.js';
import { updateDeliveryStatus } from './updateDeliveryStatus.js';

export interface DeliverMessageInput {
  messageId: string;
  channel: 'sms' | 'email';
  /** graphile-worker's attempt number of this job (1 = first). */
  jobAttempt: number;
  /**
   * The job's max_attempts. The limit applied is this worker's (deps.sending.maxAttempts, its
   * OMEGA_SEND_MAX_ATTEMPTS), or the job's when lower (a job queued with a lower limit before
   * SEND_JOB_MAX_ATTEMPTS: graphile-worker gives up on it there, so the message is failed there).
   */
  jobMaxAttempts: number;
  /** Pacing: the sender's key from the job's payload (absent in jobs queued before pacing: looked up if need be). */
  sender?: string | null;
  /** The job's graphile-worker priority (0 one-to-one, 1 bulk), kept when the job is re-added. */
  priority?: number;
  /** Attempts spent by earlier jobs of this send (a job re-added by pacing restarts graphile-worker's count): jobAttempt includes them. */
  attemptsBefore?: number;
}

/**
 * After an interrupted attempt (the message was still `sending`): `adopted`, the provider had that
 * attempt's message and it is recorded instead of sending again; `resent`, it had none (SMS) or
 * dedups by idempotency key (email), and the message was sent; `unconfirmed`, the provider could
 * not be asked and nothing was sent.
 */
export type InterruptedAttempt = 'adopted' | 'resent' | 'unconfirmed';

export type DeliveryOutcome =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'sent'; provider: string; providerMessageId: string; attempts: number; interrupted: InterruptedAttempt | null }
  | { outcome: 'failed'; code: string; message: string; attempts: number }
  | { outcome: 'retry'; code: string; message: string; attempts: number; interrupted: InterruptedAttempt | null }
  /** Not sent now: the sender's budget has no slot soon (`paced`: not claimed) or the provider said "too many" (`rate_limited`); the job was re-added for later. */
  | { outcome: 'deferred'; reason: 'paced' | 'rate_limited'; retryInMs: number };

// `sending` is claimable on purpose: a message still `sending` when its job runs again is one whose
// previous attempt stopped mid-call (crash, kill). An SMS is checked with the provider first
// (checkInterruptedSms); an email is sent again under the same idempotency key.
const CLAIMABLE = ['scheduled', 'queued', 'sending'];
/** The claim statement of each channel, built once: the text is fixed, so it is prepared once per connection. */
const CLAIM = { sms: claimStatement('sms', CLAIMABLE), email: claimStatement('email', CLAIMABLE) } as const;
/** Claims per statement at most (a process runs OMEGA_WORKER_CONCURRENCY jobs at once, 32 by default). */
const CLAIM_BATCH = 100;

/**
 * Sends one queued message through its channel; what the send_sms and send_email tasks run.
 *
 * 1. claim: `sending`, attempts + 1, the claim's time, committed before the provider is called
 *    (one statement for the jobs of this process that claim at the same time);
 * 2. an SMS still `sending` from an interrupted attempt: ask the provider whether that attempt's
 *    message exists (checkInterruptedSms); if so, record it as this send's result; if the provider
 *    cannot be asked, stay `sending` and retry (never send blind);
 * 3. refuse without calling the provider when consent was withdrawn since queueing, or no sender exists;
 * 4. call the provider;
 * 5. accepted: `sent` (through updateDeliveryStatus) with the provider's id;
 *    permanent error: `failed` at once with the provider's code and text (+ consent, e.g. 21610);
 *    transient error: back to `queued` and outcome `retry` (the task throws, graphile-worker backs
 *    off), or `failed` when this was the last attempt this worker allows (attemptLimit); an SMS
 *    the provider may have taken all the same (timeout, dropped connection, 5xx) stays `sending`
 *    instead, so that the next attempt checks before sending, as after a crash.
 */
export async function deliverMessage(deps: Deps, input: DeliverMessageInput): Promise<DeliveryOutcome> {
  const sql = deps.sql;
  // Pacing first (README "Pacing"): a send with no slot soon is not claimed, its job comes back later;
  // a granted one is claimed, then waits for its slot (keepSlot).
  const paced = await paceSend(deps, input);
  if (!paced.go) {
    await requeueSendJob(deps, sendJob(input), paced.sender, paced.retryInMs);
    return { outcome: 'deferred', reason: 'paced', retryInMs: paced.retryInMs };
  }
  const claimed = await claim(deps, input);
  if (!claimed) return { outcome: 'skipped', reason: 'not waiting to be sent (already sent, failed, canceled or unknown)' };
  await keepSlot(deps, paced);

  const { result, interrupted } = await send(deps, claimed);
  // The one place a send's result is known (omega_sends_total): accepted, or the failure's kind.
  deps.metrics.sends.inc({ channel: claimed.channel, provider: result.provider, outcome: result.ok ? 'accepted' : result.kind });
  if (result.ok) {
    await updateDeliveryStatus(deps, {
      businessId: claimed.business_id,
      messageId: claimed.id,
      status: 'sent',
      source: 'worker',
      eventType: 'sent',
      provider: result.provider,
      providerMessageId: result.providerMessageId,
      providerStatus: result.providerStatus,
      fromAddress: result.from,
      payload: { attempt: claimed.attempts, ...(interrupted ? { interrupted } : {}), ...(result.report ? { report: result.report } : {}) },
    });
    if (result.report) {
      // The sandbox's delivery report, later, through the same status function as real callbacks
      // (run_at is compared with the database's clock). A crash just before this leaves the
      // message `sent`, as a lost provider callback would.
      await addJob(
        sql,
        'sandbox_delivery_report',
        { messageId: claimed.id },
        {
          jobKey: `sandbox_delivery_report:${claimed.id}`,
          runAt: new Date(Date.now() + result.report.afterMs),
          maxAttempts: 5,
        },
      );
    }
    return {
      outcome: 'sent',
      provider: result.provider,
      providerMessageId: result.providerMessageId,
      attempts: claimed.attempts,
      interrupted,
    };
  }
  const lastAttempt = input.jobAttempt >= attemptLimit(deps, input);
  if (interrupted === 'unconfirmed' && !lastAttempt) {
    // Still `sending`, so the next attempt checks again (back to `queued` it would send blind).
    await recordAttemptEvent(deps, claimed, input, 'attempt_unconfirmed', result);
    return { outcome: 'retry', code: result.code, message: result.message, attempts: claimed.attempts, interrupted };
  }
  if (interrupted === 'unconfirmed') {
    const message = `Could not ask ${result.provider} whether the interrupted attempt was sent (${result.code}: ${result.message}); not sent again, and it may have been sent.`;
    return fail(deps, claimed, { ...result, code: 'SEND_UNCONFIRMED', message }, 'unconfirmed');
  }
  if (result.kind === 'transient' && result.maybeSent && claimed.channel === 'sms' && !lastAttempt) {
    // The provider may have created it (a timeout, a dropped connection, a 5xx): stay `sending`,
    // so the next attempt checks with the provider before sending, as after a crash. (Email needs
    // no check: Resend dedups by the idempotency key.)
    await recordAttemptEvent(deps, claimed, input, 'attempt_uncertain', result);
    return { outcome: 'retry', code: result.code, message: result.message, attempts: claimed.attempts, interrupted };
  }
  if (result.kind === 'transient' && result.maybeSent && claimed.channel === 'sms') {
    // The last attempt, and the provider may have it: failed, but saying so.
    const message = `The last attempt's answer never came (${result.code}: ${result.message}); ${result.provider} may have sent it.`;
    return fail(deps, claimed, { ...result, code: 'SEND_UNCONFIRMED', message }, 'unconfirmed');
  }
  if (isRateLimited(result)) {
    // "Too many": the sender slows down and the message goes round pacing again (at most 3 times).
    const again = await resendRateLimited(deps, { ...sendJob(input), attemptsBefore: input.jobAttempt - 1 }, senderRefOf(deps, claimed), result);
    if (again) return { outcome: 'deferred', reason: 'rate_limited', retryInMs: again.retryInMs };
  }
  if (result.kind === 'transient' && !lastAttempt) {
    const retryInSeconds = Math.round(Math.exp(Math.min(input.jobAttempt, 10)));
    await requeueMessage(deps.sql, claimed.id, result, { type: 'attempt_failed', payload: { kind: 'transient', retryInSeconds }, limit: null });
    return { outcome: 'retry', code: result.code, message: result.message, attempts: claimed.attempts, interrupted };
  }
  return fail(deps, claimed, result, result.kind === 'transient' ? 'attempts_exhausted' : 'rejected');
}

/** The running send job, as pacing re-adds it. */
function sendJob(input: DeliverMessageInput) {
  return { messageId: input.messageId, channel: input.channel, priority: input.priority ?? 0, attemptsBefore: input.jobAttempt - 1, maxAttempts: input.jobMaxAttempts };
}

/** An attempt that leaves the message `sending` for the next one to check: why, kept as a message event. */
async function recordAttemptEvent(deps: Deps, claimed: ClaimedMessage, input: DeliverMessageInput, type: 'attempt_unconfirmed' | 'attempt_uncertain', result: SendFailed): Promise<void> {
  await deps.prisma.messageEvent.create({
    data: {
      businessId: claimed.business_id,
      messageId: claimed.id,
      type,
      status: 'sending',
      provider: result.provider,
      errorCode: result.code,
      errorMessage: result.message.slice(0, 2000),
      payload: { attempt: claimed.attempts, jobAttempt: input.jobAttempt, claimedAt: claimed.claimed_at.toISOString() },
    },
  });
}

async function fail(deps: Deps, claimed: ClaimedMessage, result: SendFailed, providerStatus: string): Promise<DeliveryOutcome> {
  await updateDeliveryStatus(deps, {
    businessId: claimed.business_id,
    messageId: claimed.id,
    status: 'failed',
    source: 'worker',
    eventType: 'failed',
    provider: result.provider,
    providerStatus,
    errorCode: result.code,
    errorMessage: result.message,
    consent: result.consent ?? null,
    consentReason: result.consent ? `provider error ${result.code}` : null,
    payload: { attempt: claimed.attempts, kind: result.kind, httpStatus: result.httpStatus },
  });
  return { outcome: 'failed', code: result.code, message: result.message, attempts: claimed.attempts };
}

/** The attempts this send may take: the worker's OMEGA_SEND_MAX_ATTEMPTS, and never more than its job's max_attempts. */
function attemptLimit(deps: Deps, input: DeliverMessageInput): number {
  return Math.min(deps.sending.maxAttempts, input.jobMaxAttempts);
}

/**
 * Claims the message in this process's next claim statement: the send jobs running at once share
 * one round trip and one commit (group commit, per channel; a lone claim runs at once). Each claim
 * still commits before its own provider call, so a crash leaves `sending` only what was claimed.
 * One claim statement per channel at a time: the claims that arrive meanwhile wait for the next
 * (measured in bench/drain.ts: batches of about 20 instead of 4 at concurrency 100, and more sends
 * per second than with two statements in flight).
 */
function claim(deps: Deps, input: DeliverMessageInput): Promise<ClaimedMessage | null> {
  // Lower case, as PostgreSQL prints uuids: the batch's rows are matched to its items by id.
  const item = { messageId: input.messageId.toLowerCase(), jobAttempt: input.jobAttempt };
  return deps.groupCommit.submit(`claim:${input.channel}`, item, (items) => claimAll(deps, input.channel, items), { maxWeight: CLAIM_BATCH });
}

async function claimAll(deps: Deps, channel: 'sms' | 'email', items: { messageId: string; jobAttempt: number }[]): Promise<(ClaimedMessage | null)[]> {
  // One statement changes a message once: two jobs of one message (never together in practice,
  // the job key is per message) claim one after the other, as they would unbatched.
  if (new Set(items.map((i) => i.messageId)).size < items.length) {
    const results: (ClaimedMessage | null)[] = [];
    for (const item of items) results.push((await claimMessagesForSend(deps.sql, [item], CLAIM[channel]))[0] ?? null);
    return results;
  }
  const rows = await claimMessagesForSend(deps.sql, items, CLAIM[channel]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return items.map((i) => byId.get(i.messageId) ?? null);
}

function refuse(code: string, message: string): SendFailed {
  return { ok: false, kind: 'permanent', provider: 'omega', code, message, httpStatus: null };
}

async function send(deps: Deps, m: ClaimedMessage): Promise<{ result: SendResult; interrupted: InterruptedAttempt | null }> {
  const afterInterrupted = m.previous_status === 'sending';
  const once = (result: SendResult) => ({ result, interrupted: afterInterrupted && result.ok ? ('resent' as const) : null });
  if (!m.to_address) return once(refuse('NO_RECIPIENT', `Message ${m.id} has no recipient address.`));
  if (m.channel === 'sms') {
    const channel = deps.channels.sms;
    const sender = resolveSmsSender({
      locationMessagingServiceSid: m.location_messaging_service_sid,
      locationPhoneNumber: m.location_sms_phone_number,
      channelDefault: channel.defaultSender,
    });
    if (!sender) return once(refuse('NO_SMS_SENDER', 'No SMS sender: give the location a number or messaging service, or set TWILIO_MESSAGING_SERVICE_SID / TWILIO_FROM_NUMBER.'));
    const media = Array.isArray(m.media) ? (m.media as { url?: unknown }[]).map((x) => x?.url).filter((u): u is string => typeof u === 'string') : [];
    const body = m.body ?? '';
    if (afterInterrupted) {
      // Before consent: if the interrupted attempt went out, the message was sent whatever changed since.
      const check = await checkInterruptedSms(deps, { messageId: m.id, businessId: m.business_id, to: m.to_address, sender, body, numMedia: media.length, claimedAt: m.claimed_at });
      if (check.outcome === 'unknown') return { result: check.failure, interrupted: 'unconfirmed' };
      if (check.outcome === 'adopt') {
        const { sms } = check;
        const accepted: SendResult = {
          ok: true,
          provider: channel.provider,
          providerMessageId: sms.providerMessageId,
          providerStatus: sms.status,
          from: sms.from,
          ...(sms.report ? { report: sms.report } : {}),
        };
        return { result: accepted, interrupted: 'adopted' };
      }
    }
    if (m.client_sms_opt_out) return once(refuse('CLIENT_OPTED_OUT', 'The client opted out of SMS after this message was queued; it was not sent.'));
    return once(await channel.send({ messageId: m.id, businessId: m.business_id, attempt: m.attempts, to: m.to_address, body, mediaUrls: media, sender }));
  }
  if (m.client_email_suppressed) return once(refuse('EMAIL_SUPPRESSED', "The client's email was suppressed after this message was queued; it was not sent."));
  const channel = deps.channels.email;
  const from = resolveEmailFrom({ locationEmailFrom: m.location_email_from, locationEmailFromName: m.location_email_from_name, channelDefault: channel.defaultFrom });
  if (!from) return once(refuse('NO_EMAIL_SENDER', "No email sender: set the location's email_from or OMEGA_EMAIL_FROM."));
  return once(
    await channel.send({
      messageId: m.id,
      tags: emailTags(m.id, m.business_id),
      attempt: m.attempts,
      to: m.to_address,
      from,
      subject: m.subject ?? '',
      html: m.html,
      text: m.body,
      replyTo: null,
      headers: emailThreadHeaders(m.metadata),
    }),
  );
}
