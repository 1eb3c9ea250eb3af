import type { SendFailed } from '../../../channels/types.js';
import { addJobs } from '../../../db/sql/addJobs.js';
import { requeueMessage } from '../../../db/sql/requeueMessage.js';
import { paceSenderSlot, selectMessageSender, slowSender } from '../../../db/sql/senderBudgets.js';
import type { Deps } from '../../deps.js';
import { resolveEmailFrom } from '../resolveEmailFrom.js';
import { resolveSmsSender } from '../resolveSmsSender.js';
import { PACING_HORIZON_MS, PACING_LEAD_MS, PACING_MARGIN, RATE_LIMIT_RESENDS, SLOW_FOR_MS, SLOW_PAUSE_MS, defaultRate, isPaced, mayBePaced } from './pacer.js';
import { emailSenderRef, parseSenderKey, smsSenderRef, type SenderRef } from './senderKey.js';

export interface PaceInput {
  messageId: string;
  channel: 'sms' | 'email';
  /** The sender's key from the job's payload (queued since pacing); absent: looked up when pacing may apply. */
  sender?: string | null;
  /** The job's priority: 0 one-to-one (deferred to the next slot), 1 bulk (deferred behind the others, from hint_tat). */
  priority?: number;
}

/** go: send now (a slot was granted and waited for, or the sender is not paced); otherwise come back in retryInMs without claiming. */
export type PaceDecision = { go: true; slot?: { sender: SenderRef; slotAt: number } } | { go: false; sender: string; retryInMs: number };

/** A send this late (ms) after its slot takes a new one (keepSlot), at most MAX_RESLOTS times. */
const MAX_RESLOTS = 4;
const LATE_MS = 15;
/** A horizon no slot is beyond: the grant is unconditional. */
const FORCED_HORIZON_MS = 1e9;

/**
 * Pacing of one send, before its claim (a message never sits `sending` waiting for a deferral): ONE
 * statement on the sender's budget row (paceSenderSlot) grants the next slot if it is within
 * PACING_HORIZON_MS; a later slot is not taken, and the job comes back near its place. The send
 * waits for a granted slot after its claim (keepSlot), so the claim's round trip overlaps the wait
 * instead of making the send late. An unpaced sender (README "Pacing": the sandbox, a fake Twilio,
 * OMEGA_PACING=off) costs no statement at all.
 */
export async function paceSend(deps: Deps, input: PaceInput): Promise<PaceDecision> {
  const pacer = deps.sending.pacing;
  if (!pacer || pacer.mode === 'off') return { go: true };
  const sender = (input.sender ? parseSenderKey(input.sender) : null) ?? ((await mayBePaced(pacer, deps.sql, input.channel)) ? await lookUpSender(deps, input) : null);
  if (!sender || !(await isPaced(pacer, deps.sql, sender))) return { go: true };
  const row = await paceSenderSlot(deps.sql, sender, { defaultRate: defaultRate(pacer, sender.kind), margin: PACING_MARGIN, horizonMs: PACING_HORIZON_MS, bulk: (input.priority ?? 0) > 0 });
  if (!row.granted) return { go: false, sender: sender.key, retryInMs: Math.max(0, row.wait_ms - PACING_LEAD_MS) };
  return { go: true, slot: { sender, slotAt: Date.now() + row.wait_ms } };
}

/**
 * After the claim, just before the provider call: waits for the granted slot (at most
 * PACING_HORIZON_MS; the message is `sending` meanwhile, like a send in flight). A send that missed
 * its slot by more than LATE_MS (the claim waited for a slow group-commit statement, a busy event
 * loop) would reach the provider among the sends of later slots, and a second could then hold more
 * than the rate: it takes a fresh slot instead (the missed one stays unused) and waits for it, and
 * the same after a wait whose timer fired late. Such a slot is granted whatever its distance: it is
 * at most PACING_HORIZON_MS and one spacing away (more while a slow-down lasts), since only slots
 * within the horizon are ever granted otherwise.
 */
export async function keepSlot(deps: Deps, decision: PaceDecision): Promise<void> {
  const pacer = deps.sending.pacing;
  if (!decision.go || !decision.slot || !pacer) return;
  const { sender } = decision.slot;
  let slotAt = decision.slot.slotAt;
  // Checked again after each wait: a timer that fired late (a busy event loop, a GC pause) would
  // send late too, among the next slots' sends; it takes a fresh slot instead. Bounded: after
  // MAX_RESLOTS the send goes at its last slot, however late.
  for (let reslots = 0; ; reslots++) {
    if (Date.now() > slotAt + LATE_MS && reslots < MAX_RESLOTS) {
      const row = await paceSenderSlot(deps.sql, sender, { defaultRate: defaultRate(pacer, sender.kind), margin: PACING_MARGIN, horizonMs: FORCED_HORIZON_MS, bulk: false });
      slotAt = Date.now() + row.wait_ms;
    }
    await sleepUntil(slotAt);
    if (Date.now() <= slotAt + LATE_MS || reslots >= MAX_RESLOTS) return;
  }
}

/** A job queued without its sender (before pacing, or by a retry): the message's location decides. */
async function lookUpSender(deps: Deps, input: PaceInput): Promise<SenderRef | null> {
  const row = await selectMessageSender(deps.sql, input.messageId);
  if (!row) return null;
  return senderRefOf(deps, row);
}

/** The sender a message of this location goes out from, as pacing names it. */
export function senderRefOf(
  deps: Deps,
  m: {
    channel: 'sms' | 'email';
    location_messaging_service_sid: string | null;
    location_sms_phone_number: string | null;
    location_email_from?: string | null;
    location_email_from_name?: string | null;
  },
): SenderRef | null {
  if (m.channel === 'sms') {
    const sender = resolveSmsSender({
      locationMessagingServiceSid: m.location_messaging_service_sid,
      locationPhoneNumber: m.location_sms_phone_number,
      channelDefault: deps.channels.sms.defaultSender,
    });
    return sender ? smsSenderRef(sender) : null;
  }
  const from = resolveEmailFrom({ locationEmailFrom: m.location_email_from ?? null, locationEmailFromName: m.location_email_from_name ?? null, channelDefault: deps.channels.email.defaultFrom });
  return from ? emailSenderRef(from) : null;
}

export interface SendJobRef {
  messageId: string;
  channel: 'sms' | 'email';
  /** graphile-worker priority of the job (0 one-to-one, 1 bulk). */
  priority: number;
  /** Attempts of this send before the job now running (the job's own count restarts when it is re-added). */
  attemptsBefore: number;
  maxAttempts: number;
}

/**
 * The job comes back later under the same job key (graphile-worker replaces a running job's key by
 * a new job: the running one then completes without an error, so no attempt is spent waiting).
 */
export async function requeueSendJob(deps: Deps, job: SendJobRef, sender: string, inMs: number): Promise<void> {
  const task = job.channel === 'sms' ? 'send_sms' : 'send_email';
  // Quietly (no NOTIFY in this commit): nudgeAt wakes the workers when it falls due.
  await addJobs(deps.sql, [
    {
      task,
      payload: { messageId: job.messageId, sender, ...(job.attemptsBefore > 0 ? { attemptsBefore: job.attemptsBefore } : {}) },
      jobKey: `${task}:${job.messageId}`,
      runAt: new Date(Date.now() + inMs),
      maxAttempts: job.maxAttempts,
      priority: job.priority,
    },
  ]);
  deps.sending.pacing?.nudgeAt(deps.sql, inMs);
}

/** "Too many requests" from the provider: Twilio 20429 / HTTP 429, Resend's rate limit. */
export function isRateLimited(result: SendFailed): boolean {
  return result.kind === 'transient' && !result.maybeSent && (result.httpStatus === 429 || result.code === '20429' || result.code === 'rate_limit_exceeded');
}

/**
 * After a 429: the sender slows down (slowSender) and the message goes back to `queued` to be sent
 * again through pacing, at most RATE_LIMIT_RESENDS times for this cause; false when that limit is
 * reached (the caller then treats it as any transient failure). Works for unpaced senders too: the
 * slow-down makes them paced while it lasts.
 */
export async function resendRateLimited(deps: Deps, job: SendJobRef, sender: SenderRef | null, result: SendFailed): Promise<{ retryInMs: number } | null> {
  const pacer = deps.sending.pacing;
  if (!pacer || pacer.mode === 'off' || !sender) return null;
  const { retry_in_ms } = await slowSender(deps.sql, sender, { defaultRate: defaultRate(pacer, sender.kind), margin: PACING_MARGIN, pauseMs: SLOW_PAUSE_MS, slowForMs: SLOW_FOR_MS });
  pacer.invalidate();
  const requeued = await requeueMessage(deps.sql, job.messageId, result, {
    type: 'rate_limited',
    payload: { sender: sender.key, retryInMs: Math.round(retry_in_ms) },
    limit: RATE_LIMIT_RESENDS,
  });
  if (!requeued) return null;
  const retryInMs = Math.max(0, retry_in_ms - PACING_LEAD_MS);
  await requeueSendJob(deps, job, sender.key, retryInMs);
  return { retryInMs };
}

function sleepUntil(at: number): Promise<void> {
  const ms = Math.min(at - Date.now(), 60_000);
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
