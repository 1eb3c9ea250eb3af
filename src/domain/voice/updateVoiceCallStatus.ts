import type { VoiceCall } from '../../generated/prisma/client.js';
import type { VoiceCallStatus } from '../../generated/prisma/enums.js';
import type { Deps } from '../deps.js';
import { applyCallChange, type CallChange } from './applyCallChange.js';
import { findCall } from './findCall.js';
import { staffIdFromIdentity } from './staffIdentity.js';
import { toVoiceCallStatus } from './voiceCallStatus.js';
import { runTransaction } from '../../db/transaction.js';

export interface VoiceStatusReport {
  /** Our call id from the callback URL (?call_id=), when Twilio calls a URL we gave it. */
  callId: string | null;
  callSid: string;
  parentCallSid: string | null;
  /** CallStatus: initiated, ringing, in-progress, completed, busy, no-answer, failed, canceled. */
  callStatus: string | null;
  /** The leg's `To` (client:staff_<hex> when a staff member's browser was rung). */
  to: string | null;
  callDuration: number | null;
  recordingSid: string | null;
  recordingUrl: string | null;
  recordingStatus: string | null;
  recordingDuration: number | null;
  payload: Record<string, unknown>;
}

export type VoiceStatusResult = { outcome: 'applied' | 'unchanged' | 'duplicate'; voiceCallId: string; status: VoiceCallStatus } | { outcome: 'unknown_call' | 'unknown_status' };

/**
 * A Twilio call status (or recording status) callback. Which leg reported matters:
 * - outbound calls (staff → client) follow the dialled leg to the client; the browser leg's own
 *   reports are kept as events only;
 * - inbound calls (client → business) follow the caller's leg, except that Twilio calls it
 *   in-progress as soon as our TwiML answers: a human answering is a staff leg going in-progress
 *   (that staff member becomes the call's staff). The caller hanging up unanswered is a missed call
 *   (no_answer). Staff legs that stop ringing because someone else answered change nothing.
 * Reports are deduplicated by CallSid + status (recordings by RecordingSid) and move forward only.
 */
export async function updateVoiceCallStatus(deps: Deps, report: VoiceStatusReport): Promise<VoiceStatusResult> {
  const call = await findCall(deps, report);
  if (!call) return { outcome: 'unknown_call' };
  const at = deps.clock.now();
  const base = { occurredAt: at, payload: { source: 'webhook', params: report.payload } };
  let change: CallChange;
  if (report.recordingSid && report.recordingUrl !== null && (report.recordingStatus ?? 'completed') === 'completed') {
    change = { ...base, eventId: `${report.recordingSid}:recording`, eventType: 'recording', recording: { url: report.recordingUrl, sid: report.recordingSid, seconds: report.recordingDuration } };
  } else if (report.recordingSid) {
    change = { ...base, eventId: `${report.recordingSid}:recording:${report.recordingStatus ?? 'unknown'}`, eventType: 'recording' };
  } else {
    const reported = toVoiceCallStatus(report.callStatus);
    if (!reported) return { outcome: 'unknown_status' };
    change = { ...base, eventId: `${report.callSid}:${report.callStatus!.toLowerCase()}`, eventType: 'call_status', ...legEffect(call, report, reported) };
  }
  const result = await runTransaction(deps, (tx) => applyCallChange(tx, call.id, change), { timeout: 30_000, maxWait: 10_000 });
  return { outcome: result.duplicate ? 'duplicate' : result.changed ? 'applied' : 'unchanged', voiceCallId: call.id, status: result.call.status };
}

function legEffect(call: VoiceCall, report: VoiceStatusReport, reported: VoiceCallStatus): Pick<CallChange, 'status' | 'answeredBy' | 'durationSeconds'> {
  const mainLeg = report.callSid === call.providerCallSid;
  const duration = report.callDuration;
  if (call.direction === 'outbound') {
    return mainLeg ? {} : { status: reported, durationSeconds: reported === 'completed' ? duration : null };
  }
  if (mainLeg) {
    if (reported === 'in_progress') return {};
    if (reported === 'completed') return call.status === 'in_progress' ? { status: 'completed', durationSeconds: duration } : { status: 'no_answer' };
    return { status: reported };
  }
  const staffId = staffIdFromIdentity(report.to);
  if (reported === 'ringing') return { status: 'ringing' };
  if (reported === 'in_progress') return { status: 'in_progress', answeredBy: staffId };
  // The leg that was answered ends the conversation; the others stop ringing when it is answered.
  if (reported === 'completed' && call.status === 'in_progress' && (!call.staffId || call.staffId === staffId)) return { status: 'completed', durationSeconds: duration };
  return {};
}
