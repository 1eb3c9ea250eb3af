import type { Client, VoiceCall } from '../../generated/prisma/client.js';
import type { Tx } from '../../db/tx.js';
import { findOrCreateClient } from '../clients/findOrCreateClient.js';
import { normalizePhone, type PhoneRegion } from '../contacts/normalizePhone.js';
import { createOrGetConversation } from '../conversations/createOrGetConversation.js';
import type { Deps } from '../deps.js';
import { isUuid } from '../ids.js';
import type { CallPlan } from '../../channels/callPlan.js';
import { callUrls } from './callUrls.js';
import { recordCallStart } from './recordCallStart.js';
import { staffIdFromIdentity } from './staffIdentity.js';
import { runTransaction } from '../../db/transaction.js';
import { lockKey } from '../../db/sql/locks.js';
import { selectCallerLocation } from '../../db/sql/selectCallerLocation.js';
import { phoneRegionFor } from '../businesses/phoneRegionFor.js';

export interface BrowserCall {
  callSid: string;
  /** client:staff_<hex>: the staff member's browser. */
  from: string;
  /** The number to call, or a client's Omega id (the browser's `To` parameter). */
  to: string | null;
  /** Optional browser parameters: which client, and which location's number to show. */
  clientId: string | null;
  locationId: string | null;
  payload: Record<string, unknown>;
}

export type BrowserCallResult = { plan: CallPlan; call: VoiceCall | null; refused?: string };

const RING_SECONDS = 30;

/**
 * A staff member calls a client from the browser (Twilio Voice SDK → our TwiML app): the call is
 * recorded as a VoiceCall and an outbound voice message in the client's conversation, and Twilio
 * is told to dial the client's number with the location's number as caller id, reporting progress
 * to /twilio/voice/status. A repeated request for the same CallSid answers the same TwiML.
 */
export async function startBrowserCall(deps: Deps, input: BrowserCall): Promise<BrowserCallResult> {
  const urls = callUrls(deps.voice?.publicBaseUrl ?? deps.webhooks?.publicBaseUrl ?? '');
  const dial = (call: VoiceCall): CallPlan => ({
    kind: 'dial_number',
    callerId: call.fromNumber!,
    number: call.toNumber!,
    timeoutSeconds: RING_SECONDS,
    actionUrl: urls.dialEnded(call.id),
    statusCallbackUrl: urls.status(call.id),
  });
  const refuse = (text: string, reason: string): BrowserCallResult => ({ plan: { kind: 'say_and_hang_up', text }, call: null, refused: reason });

  const staffId = staffIdFromIdentity(input.from);
  const staff = staffId ? await deps.prisma.staff.findUnique({ where: { id: staffId } }) : null;
  if (!staff || !staff.active) return refuse('This phone is not allowed to place calls.', `no active staff member for ${input.from}`);
  const businessId = staff.businessId;
  const phoneRegion = await phoneRegionFor(deps, businessId, [input.to]);
  const at = deps.clock.now();

  return runTransaction(
    deps,
    async (tx): Promise<BrowserCallResult> => {
      await lockKey(tx.sql, `omega_call:${input.callSid}`);
      const existing = await tx.prisma.voiceCall.findUnique({ where: { providerCallSid: input.callSid } });
      if (existing) {
        return existing.status === 'failed' || !existing.fromNumber || !existing.toNumber
          ? { plan: { kind: 'say_and_hang_up', text: 'This call cannot be placed.' }, call: existing }
          : { plan: dial(existing), call: existing };
      }

      const target = await resolveClient(tx, businessId, input, phoneRegion);
      if (!target) return refuse('There is no number to call.', `no client or number in ${JSON.stringify({ to: input.to, clientId: input.clientId })}`);
      const { client, number } = target;
      const location = await callerLocation(tx, businessId, client, staff.locationIds, input.locationId);
      const locationId = location?.id ?? (await anyLocation(tx, businessId));
      if (!locationId) return refuse('This business has no location to call from.', 'business has no location');
      const { conversation } = await createOrGetConversation(tx, { businessId, clientId: client.id, locationId });
      const base = {
        businessId,
        conversationId: conversation.id,
        clientId: client.id,
        locationId,
        staffId: staff.id,
        direction: 'outbound' as const,
        callSid: input.callSid,
        toNumber: number,
        at,
        payload: input.payload,
      };
      if (!location?.smsPhoneNumber) {
        // Recorded (the staff member sees why in the conversation) but not dialled: no caller id to show.
        const call = await recordCallStart(tx, {
          ...base,
          status: 'failed',
          fromNumber: null,
          metadata: { error: 'NO_CALLER_ID' },
          errorMessage: 'No location of this business has a phone number to call from.',
        });
        return { plan: { kind: 'say_and_hang_up', text: 'No phone number is set up to call from. Add one to this location first.' }, call, refused: 'no caller id' };
      }
      const call = await recordCallStart(tx, { ...base, status: 'initiated', fromNumber: location.smsPhoneNumber, metadata: { staffIdentity: input.from } });
      return { plan: dial(call), call };
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

/** The client named by client_id (or a client id in To), else the client with the number in To (created when unknown). */
async function resolveClient(tx: Tx, businessId: string, input: BrowserCall, phoneRegion: PhoneRegion): Promise<{ client: Client; number: string } | null> {
  const toPhone = input.to ? normalizePhone(input.to, phoneRegion) : null;
  const clientId = input.clientId && isUuid(input.clientId) ? input.clientId : input.to && isUuid(input.to) ? input.to : null;
  if (clientId) {
    const client = await tx.prisma.client.findFirst({ where: { id: clientId, businessId } });
    const number = toPhone ?? client?.phones[0] ?? null;
    return client && number ? { client, number } : null;
  }
  if (!toPhone) return null;
  const { client } = await findOrCreateClient(tx, { businessId, phone: toPhone });
  return { client, number: toPhone };
}

/**
 * The location whose number the client sees: the one asked for, else where the client last talked
 * with the business, else the client's home location, else the staff member's, else the business's
 * oldest; only locations with a number count.
 */
async function callerLocation(tx: Tx, businessId: string, client: Client, staffLocationIds: string[], asked: string | null): Promise<{ id: string; smsPhoneNumber: string | null } | null> {
  return selectCallerLocation(tx.sql, businessId, { clientId: client.id, homeLocationId: client.homeLocationId, staffLocationIds, asked });
}

async function anyLocation(tx: Tx, businessId: string): Promise<string | null> {
  const location = await tx.prisma.location.findFirst({ where: { businessId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true } });
  return location?.id ?? null;
}
