import type { VoiceCall } from '../../generated/prisma/client.js';
import type { VoiceCallStatus } from '../../generated/prisma/enums.js';
import { insertProviderMessageEvent } from '../../db/sql/insertProviderMessageEvent.js';
import { lockVoiceCall } from '../../db/sql/locks.js';
import { updateLastMessagePreview } from '../../db/sql/updateLastMessagePreview.js';
import type { Tx } from '../../db/tx.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';
import { callSummary, canAdvanceCall, isCallEnded, outboundCallMessageStatus } from './voiceCallStatus.js';

export interface CallChange {
  /** The provider's id of this report (`<CallSid>:<status>`, `<RecordingSid>:recording`): a report seen before changes nothing. */
  eventId: string;
  /** Message event type: call_status, dial_ended, recording, call_started. */
  eventType: string;
  status?: VoiceCallStatus | null;
  /** The staff member who answered (inbound calls). */
  answeredBy?: string | null;
  durationSeconds?: number | null;
  recording?: { url: string; sid: string | null; seconds: number | null } | null;
  occurredAt: Date;
  payload: Record<string, unknown>;
}

export interface CallChangeResult {
  call: VoiceCall;
  duplicate: boolean;
  changed: boolean;
}

/**
 * Applies one report about a call, inside the caller's transaction, with the row locked: records it
 * as an event of the call's message (deduplicated by the report's id), moves the status forward
 * only (canAdvanceCall), fills answer/end times, duration and recording, keeps the message's status
 * and text in step, and publishes message.status_changed to the inbox when anything moved.
 */
export async function applyCallChange(tx: Tx, callId: string, change: CallChange): Promise<CallChangeResult> {
  await lockVoiceCall(tx.sql, callId);
  const call = await tx.prisma.voiceCall.findUniqueOrThrow({ where: { id: callId } });
  if (call.messageId) {
    const inserted = await insertProviderMessageEvent(tx.sql, {
      businessId: call.businessId,
      messageId: call.messageId,
      type: change.eventType,
      provider: 'twilio',
      providerEventId: change.eventId,
      payload: { ...change.payload, previousCallStatus: call.status, callStatus: change.status ?? null },
      occurredAt: change.occurredAt,
    });
    if (!inserted) return { call, duplicate: true, changed: false };
  }

  const to = change.status && canAdvanceCall(call.status, change.status) ? change.status : null;
  const newRecording = change.recording && change.recording.url !== call.recordingUrl ? change.recording : null;
  if (!to && !newRecording && !(change.durationSeconds != null && call.durationSeconds == null && isCallEnded(call.status))) {
    return { call, duplicate: false, changed: false };
  }
  const ended = to !== null && isCallEnded(to);
  const updated = await tx.prisma.voiceCall.update({
    where: { id: call.id },
    data: {
      ...(to ? { status: to } : {}),
      ...(to === 'in_progress' || (to === 'completed' && !call.answeredAt) ? { answeredAt: call.answeredAt ?? change.occurredAt } : {}),
      ...(to === 'in_progress' && change.answeredBy ? { staffId: change.answeredBy } : {}),
      ...(ended ? { endedAt: change.occurredAt } : {}),
      ...(change.durationSeconds != null && (ended || call.durationSeconds == null) ? { durationSeconds: change.durationSeconds } : {}),
      ...(newRecording ? { recordingUrl: newRecording.url, recordingSeconds: newRecording.seconds, metadata: { ...(call.metadata as object), recordingSid: newRecording.sid } } : {}),
    },
  });

  if (call.messageId) {
    const body = callSummary(updated);
    const outbound = updated.direction === 'outbound';
    const messageStatus = outbound ? outboundCallMessageStatus(updated.status) : 'received';
    await tx.prisma.message.update({
      where: { id: call.messageId },
      data: {
        body,
        ...(outbound ? { status: messageStatus } : {}),
        ...(outbound && messageStatus === 'delivered' ? { deliveredAt: updated.answeredAt ?? change.occurredAt, sentAt: call.startedAt ?? change.occurredAt } : {}),
        ...(outbound && ['failed', 'undelivered', 'canceled'].includes(messageStatus) ? { failedAt: change.occurredAt } : {}),
      },
    });
    // The inbox preview follows when the call is the conversation's latest message.
    await updateLastMessagePreview(tx.sql, call.conversationId, call.messageId, body);
    await publishInboxEvent(tx.sql, {
      businessId: call.businessId,
      type: 'message.status_changed',
      conversationId: call.conversationId,
      messageId: call.messageId,
      payload: {
        channel: 'voice',
        voiceCallId: call.id,
        callStatus: updated.status,
        previousCallStatus: call.status,
        ...(outbound ? { status: messageStatus } : {}),
        durationSeconds: updated.durationSeconds,
        recordingUrl: updated.recordingUrl,
        staffId: updated.staffId,
      },
    });
  }
  return { call: updated, duplicate: false, changed: true };
}
