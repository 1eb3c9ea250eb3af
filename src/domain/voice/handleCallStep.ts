import type { Deps } from '../deps.js';
import { applyCallChange } from './applyCallChange.js';
import type { CallPlan } from '../../channels/callPlan.js';
import { callUrls } from './callUrls.js';
import { findCall } from './findCall.js';
import { voicemailPlan } from './startInboundCall.js';
import { toVoiceCallStatus } from './voiceCallStatus.js';
import { runTransaction } from '../../db/transaction.js';

export interface CallStep {
  /** dial-ended: the <Dial> action (DialCallStatus); voicemail: the <Record> action (RecordingUrl). */
  step: 'dial-ended' | 'voicemail';
  callId: string | null;
  callSid: string;
  dialCallStatus: string | null;
  dialCallDuration: number | null;
  recordingSid: string | null;
  recordingUrl: string | null;
  recordingDuration: number | null;
  payload: Record<string, unknown>;
}

/**
 * What happens after a <Dial> or a <Record> of one of our calls. After the dial: an outbound call
 * takes the dialled leg's outcome and hangs up; an inbound call that nobody answered becomes a
 * missed call and goes to voicemail. After the recording: the voicemail is kept on the call and
 * its message, and the caller hears goodbye. Both are deduplicated like status callbacks.
 */
export async function handleCallStep(deps: Deps, input: CallStep): Promise<{ plan: CallPlan; voiceCallId: string | null }> {
  const call = await findCall(deps, { callId: input.callId, callSid: input.callSid, parentCallSid: null });
  if (!call) return { plan: { kind: 'hang_up' }, voiceCallId: null };
  const urls = callUrls(deps.voice?.publicBaseUrl ?? deps.webhooks?.publicBaseUrl ?? '');
  const at = deps.clock.now();
  const payload = { source: 'webhook', params: input.payload };

  if (input.step === 'voicemail') {
    if (!input.recordingUrl || !input.recordingSid) return { plan: { kind: 'say_and_hang_up', text: 'Goodbye.' }, voiceCallId: call.id };
    await runTransaction(deps, (tx) =>
      applyCallChange(tx, call.id, {
        eventId: `${input.recordingSid}:recording`,
        eventType: 'recording',
        recording: { url: input.recordingUrl!, sid: input.recordingSid, seconds: input.recordingDuration },
        occurredAt: at,
        payload,
      }),
    );
    return { plan: { kind: 'say_and_hang_up', text: 'Thank you for your message. Goodbye.' }, voiceCallId: call.id };
  }

  const dialed = toVoiceCallStatus(input.dialCallStatus);
  const answered = dialed === 'in_progress' || dialed === 'completed';
  return runTransaction(
    deps,
    async (tx) => {
      const { call: updated } = await applyCallChange(tx, call.id, {
        eventId: `${input.callSid}:dial:${(input.dialCallStatus ?? 'unknown').toLowerCase()}`,
        eventType: 'dial_ended',
        // Outbound: the dialled number's outcome. Inbound: answered by staff, or missed.
        status: call.direction === 'outbound' ? (answered ? 'completed' : dialed) : answered ? 'completed' : 'no_answer',
        durationSeconds: answered ? input.dialCallDuration : null,
        occurredAt: at,
        payload,
      });
      const plan: CallPlan = call.direction === 'inbound' && !answered && !updated.recordingUrl ? await voicemailPlan(tx, updated, urls) : { kind: 'hang_up' };
      return { plan, voiceCallId: call.id };
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}
