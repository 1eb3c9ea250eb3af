import type { VoiceCall } from '../../generated/prisma/client.js';
import type { Tx } from '../../db/tx.js';
import { findOrCreateClient } from '../clients/findOrCreateClient.js';
import { normalizePhone } from '../contacts/normalizePhone.js';
import { createOrGetConversation } from '../conversations/createOrGetConversation.js';
import type { Deps } from '../deps.js';
import { findSmsLocation } from '../webhooks/findSmsLocation.js';
import type { CallPlan } from '../../channels/callPlan.js';
import { callUrls, type CallUrls } from './callUrls.js';
import { recordCallStart } from './recordCallStart.js';
import { staffIdentity } from './staffIdentity.js';
import { runTransaction } from '../../db/transaction.js';
import { lockKey } from '../../db/sql/locks.js';

export interface InboundCall {
  callSid: string;
  from: string;
  /** The number called (To / Called): a location's number. */
  to: string;
  payload: Record<string, unknown>;
}

export type InboundCallResult = { plan: CallPlan; call: VoiceCall | null; unrouted?: boolean };

/** Twilio rings at most 10 clients in one <Dial>. */
const MAX_RING = 10;
const RING_SECONDS = 20;
const VOICEMAIL_SECONDS = 120;

/**
 * A client calls a location's number: the call is recorded (VoiceCall + inbound voice message, so
 * the conversation opens and counts it unread) and rings, in the browser, the staff member the
 * conversation is assigned to, else every active staff member of the location (else those who work
 * at every location). When nobody answers, the <Dial> action leads to voicemail (finishDial); with
 * nobody to ring, voicemail comes at once. A repeated request for the same CallSid rings again.
 */
export async function startInboundCall(deps: Deps, input: InboundCall): Promise<InboundCallResult> {
  const urls = callUrls(deps.voice?.publicBaseUrl ?? deps.webhooks?.publicBaseUrl ?? '');
  const from = normalizePhone(input.from, deps.phoneRegion) ?? (input.from.trim() || 'anonymous');
  const to = normalizePhone(input.to, deps.phoneRegion) ?? input.to.trim();
  const at = deps.clock.now();
  return runTransaction(
    deps,
    async (tx): Promise<InboundCallResult> => {
      await lockKey(tx.sql, `omega_call:${input.callSid}`);
      const existing = await tx.prisma.voiceCall.findUnique({ where: { providerCallSid: input.callSid } });
      if (existing) return { plan: await planFor(tx, existing, urls), call: existing };

      const route = await findSmsLocation(tx, { to, messagingServiceSid: null, from: null });
      if (!route) return { plan: { kind: 'say_and_hang_up', text: 'The number you have called is not in service.' }, call: null, unrouted: true };
      const { businessId, locationId } = route;
      const { client } = await findOrCreateClient(tx, { businessId, phone: from, homeLocationId: locationId });
      const { conversation } = await createOrGetConversation(tx, { businessId, clientId: client.id, locationId });
      const ring = await staffToRing(tx, businessId, locationId, conversation.assigneeId);
      const call = await recordCallStart(tx, {
        businessId,
        conversationId: conversation.id,
        clientId: client.id,
        locationId,
        staffId: null,
        direction: 'inbound',
        status: ring.length ? 'ringing' : 'no_answer',
        callSid: input.callSid,
        fromNumber: from,
        toNumber: to,
        at,
        metadata: { ringing: ring },
        payload: input.payload,
      });
      return { plan: await planFor(tx, call, urls, ring), call };
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

async function planFor(tx: Tx, call: VoiceCall, urls: CallUrls, ring?: string[]): Promise<CallPlan> {
  if (call.status === 'ringing' || call.status === 'queued' || call.status === 'initiated') {
    const identities =
      ring ??
      (await staffToRing(tx, call.businessId, call.locationId!, (await tx.prisma.conversation.findUnique({ where: { id: call.conversationId! }, select: { assigneeId: true } }))?.assigneeId ?? null));
    if (identities.length) return { kind: 'ring_staff', identities, timeoutSeconds: RING_SECONDS, actionUrl: urls.dialEnded(call.id), statusCallbackUrl: urls.status(call.id) };
  }
  if (call.status === 'in_progress' || call.status === 'completed') return { kind: 'hang_up' };
  return voicemailPlan(tx, call, urls);
}

/** The voicemail prompt of a call's location. */
export async function voicemailPlan(tx: Tx, call: VoiceCall, urls: CallUrls): Promise<CallPlan> {
  const location = call.locationId ? await tx.prisma.location.findUnique({ where: { id: call.locationId }, select: { name: true } }) : null;
  return {
    kind: 'voicemail',
    greeting: `Sorry, nobody at ${location?.name ?? 'the business'} can take your call right now. Please leave a message after the beep.`,
    maxLengthSeconds: VOICEMAIL_SECONDS,
    actionUrl: urls.voicemail(call.id),
    recordingStatusCallbackUrl: urls.status(call.id),
  };
}

/** Browser identities to ring: the conversation's assignee, else the location's active staff, else staff not tied to a location. */
async function staffToRing(tx: Tx, businessId: string, locationId: string, assigneeId: string | null): Promise<string[]> {
  if (assigneeId) {
    const assignee = await tx.prisma.staff.findFirst({ where: { id: assigneeId, businessId, active: true }, select: { id: true } });
    if (assignee) return [staffIdentity(assignee.id)];
  }
  const order = [{ firstName: 'asc' as const }, { id: 'asc' as const }];
  let staff = await tx.prisma.staff.findMany({ where: { businessId, active: true, locationIds: { has: locationId } }, orderBy: order, take: MAX_RING, select: { id: true } });
  if (staff.length === 0) staff = await tx.prisma.staff.findMany({ where: { businessId, active: true, locationIds: { isEmpty: true } }, orderBy: order, take: MAX_RING, select: { id: true } });
  return staff.map((s) => staffIdentity(s.id));
}
