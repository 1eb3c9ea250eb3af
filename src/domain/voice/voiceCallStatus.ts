import type { MessageStatus, VoiceCallStatus } from '../../generated/prisma/enums.js';

// The status machine of a voice call, the one place its rules live:
//
//   queued -> initiated -> ringing -> in_progress -> completed
//      \__________\___________\______> busy | no_answer | failed | canceled   (before an answer)
//
// - a status only moves forward (skipping steps is fine); an ended call never changes again;
// - busy / no_answer / failed / canceled only end a call nobody answered; `completed` ends any.
// Twilio's callbacks arrive out of order and more than once: this is what makes them harmless.

const CHAIN: readonly VoiceCallStatus[] = ['queued', 'initiated', 'ringing', 'in_progress'];
const ENDED: readonly VoiceCallStatus[] = ['completed', 'busy', 'no_answer', 'failed', 'canceled'];

export function isCallEnded(status: VoiceCallStatus): boolean {
  return ENDED.includes(status);
}

export function canAdvanceCall(from: VoiceCallStatus, to: VoiceCallStatus): boolean {
  if (isCallEnded(from)) return false;
  if (to === 'completed') return true;
  if (isCallEnded(to)) return from !== 'in_progress';
  return CHAIN.indexOf(to) > CHAIN.indexOf(from);
}

/** Twilio's CallStatus / DialCallStatus words (and `answered`) as our statuses; null for words we do not know. */
export function toVoiceCallStatus(word: string | null | undefined): VoiceCallStatus | null {
  switch ((word ?? '').trim().toLowerCase()) {
    case 'queued':
      return 'queued';
    case 'initiated':
      return 'initiated';
    case 'ringing':
      return 'ringing';
    case 'in-progress':
    case 'answered':
      return 'in_progress';
    case 'completed':
      return 'completed';
    case 'busy':
      return 'busy';
    case 'no-answer':
      return 'no_answer';
    case 'failed':
      return 'failed';
    case 'canceled':
      return 'canceled';
    default:
      return null;
  }
}

/** The delivery status shown on an outbound call's message (inbound calls stay `received`). */
export function outboundCallMessageStatus(status: VoiceCallStatus): MessageStatus {
  switch (status) {
    case 'in_progress':
    case 'completed':
      return 'delivered';
    case 'busy':
    case 'no_answer':
      return 'undelivered';
    case 'failed':
      return 'failed';
    case 'canceled':
      return 'canceled';
    default:
      return 'sending';
  }
}

export function formatDuration(seconds: number | null | undefined): string {
  const s = Math.max(0, Math.round(seconds ?? 0));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The message text of a call, for the inbox preview and search. */
export function callSummary(call: { direction: string; status: VoiceCallStatus; durationSeconds: number | null; recordingSeconds: number | null; recordingUrl: string | null }): string {
  const outbound = call.direction === 'outbound';
  if (!outbound && call.recordingUrl) return `Voicemail (${formatDuration(call.recordingSeconds)})`;
  switch (call.status) {
    case 'completed':
      return `${outbound ? 'Outgoing' : 'Incoming'} call (${formatDuration(call.durationSeconds)})`;
    case 'in_progress':
      return `${outbound ? 'Outgoing' : 'Incoming'} call in progress`;
    case 'busy':
      return outbound ? 'Outgoing call: busy' : 'Missed call';
    case 'no_answer':
      return outbound ? 'Outgoing call: no answer' : 'Missed call';
    case 'failed':
      return outbound ? 'Outgoing call failed' : 'Missed call';
    case 'canceled':
      return outbound ? 'Outgoing call canceled' : 'Missed call';
    default:
      return outbound ? 'Outgoing call' : 'Incoming call';
  }
}
