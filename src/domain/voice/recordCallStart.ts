import type { VoiceCall } from '../../generated/prisma/client.js';
import type { VoiceCallStatus } from '../../generated/prisma/enums.js';
import type { Tx } from '../../db/tx.js';
import { appendMessage } from '../messages/appendMessage.js';
import { callSummary, outboundCallMessageStatus } from './voiceCallStatus.js';

export interface NewCall {
  businessId: string;
  conversationId: string;
  clientId: string;
  locationId: string;
  staffId: string | null;
  direction: 'inbound' | 'outbound';
  status: VoiceCallStatus;
  callSid: string;
  fromNumber: string | null;
  toNumber: string;
  at: Date;
  metadata: Record<string, unknown>;
  payload: Record<string, unknown>;
  errorMessage?: string | null;
}

/**
 * A new call as a VoiceCall and its voice message in the client's conversation (through
 * appendMessage, so an incoming call is unread, reopens the conversation and reaches the inbox),
 * with the webhook that started it kept as the message's first event.
 */
export async function recordCallStart(tx: Tx, c: NewCall): Promise<VoiceCall> {
  const outbound = c.direction === 'outbound';
  const messageStatus = outbound ? outboundCallMessageStatus(c.status) : 'received';
  const message = await appendMessage(tx, {
    businessId: c.businessId,
    conversationId: c.conversationId,
    clientId: c.clientId,
    locationId: c.locationId,
    channel: 'voice',
    direction: c.direction,
    status: messageStatus,
    body: callSummary({ direction: c.direction, status: c.status, durationSeconds: null, recordingSeconds: null, recordingUrl: null }),
    fromAddress: c.fromNumber,
    toAddress: c.toNumber,
    provider: 'twilio',
    providerMessageId: c.callSid,
    authorStaffId: outbound ? c.staffId : null,
    createdAt: c.at,
    ...(messageStatus === 'failed' ? { failedAt: c.at, errorMessage: c.errorMessage ?? null } : {}),
    metadata: { callSid: c.callSid },
  });
  const call = await tx.prisma.voiceCall.create({
    data: {
      businessId: c.businessId,
      conversationId: c.conversationId,
      clientId: c.clientId,
      locationId: c.locationId,
      staffId: c.staffId,
      messageId: message.id,
      direction: c.direction,
      status: c.status,
      providerCallSid: c.callSid,
      fromNumber: c.fromNumber,
      toNumber: c.toNumber,
      startedAt: c.at,
      ...(c.status === 'failed' || c.status === 'no_answer' ? { endedAt: c.at } : {}),
      metadata: c.metadata as object,
    },
  });
  await tx.prisma.messageEvent.create({
    data: {
      businessId: c.businessId,
      messageId: message.id,
      type: 'call_started',
      provider: 'twilio',
      providerEventId: `${c.callSid}:started`,
      payload: { source: 'webhook', callStatus: c.status, params: c.payload } as object,
      occurredAt: c.at,
    },
  });
  return call;
}
