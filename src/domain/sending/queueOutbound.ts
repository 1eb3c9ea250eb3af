import { normalizeEmail } from '../contacts/normalizeEmail.js';
import { normalizePhone, type PhoneRegion } from '../contacts/normalizePhone.js';
import { actingStaffId, type Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import { assertOptionalUuid } from '../ids.js';
import { submitToSendBatch } from './submitToSendBatch.js';
import { phoneRegionFor } from '../businesses/phoneRegionFor.js';

export const MAX_RECIPIENTS = 500;
const MAX_SCHEDULE_MS = 366 * 24 * 3600_000;

/** One recipient: an address, or a client (Omega id or the caller's external id), or both. */
export interface RecipientInput {
  to?: string | null;
  clientId?: string | null;
  clientExternalId?: string | null;
  /** Used only when the client is created (first contact). */
  firstName?: string | null;
  lastName?: string | null;
}

export interface QueueOutboundInput {
  /** Who asks: a session sends as its own staff member (actingStaffId). */
  principal: Principal | null;
  businessId: string;
  channel: 'sms' | 'email';
  recipients: RecipientInput[];
  content: { body: string | null; subject: string | null; html: string | null; media: { url: string; contentType?: string | null }[] };
  locationId?: string | null;
  locationExternalId?: string | null;
  /** The caller's correlation id: the same request to the same recipient makes one message, ever. */
  requestId?: string | null;
  sendAt?: Date | null;
  bypassQuietHours?: boolean;
  /** The staff member sending (a session: its own, given or not). */
  authorStaffId?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface QueuedMessage {
  messageId: string;
  conversationId: string;
  clientId: string;
  to: string;
  status: string;
  scheduledAt: Date | null;
  /** false: this recipient was already sent to under the same request_id; the existing message is returned. */
  created: boolean;
}

export interface QueueResult {
  requestId: string | null;
  messages: QueuedMessage[];
}

/**
 * Queue SMS or email to one or many recipients: the client (created on first contact) and its
 * conversation are resolved, consent is checked, and each message is stored through appendMessage
 * together with its send job (job key `send_<channel>:<messageId>`) in ONE transaction: either
 * every message and job of the request exists, or none (see queueBatch). Recipients already sent
 * to under the same request_id are returned as they are.
 */
export async function queueOutbound(deps: Deps, input: QueueOutboundInput): Promise<QueueResult> {
  const phoneRegion = input.channel === 'sms' ? await phoneRegionFor(deps, input.businessId, input.recipients.map((r) => r.to)) : deps.phoneRegion;
  const recipients = normaliseRecipients(input, phoneRegion);
  assertOptionalUuid(input.locationId, ['locationId']);
  assertOptionalUuid(input.authorStaffId, ['authorStaffId']);
  const authorStaffId = actingStaffId(input.principal, input.authorStaffId);
  const now = deps.clock.now();
  if (input.sendAt && input.sendAt.getTime() - now.getTime() > MAX_SCHEDULE_MS) {
    throw new ValidationError([{ type: 'value_error', loc: ['sendAt'], msg: 'send_at may be at most 366 days ahead', input: input.sendAt.toISOString() }]);
  }
  // Requests for one business that arrive while its previous transaction runs share the next one
  // (group commit); each request's messages and jobs still commit together or not at all.
  const { principal: _principal, ...request } = input;
  return submitToSendBatch(deps, { input: { ...request, authorStaffId }, recipients, now });
}

export type NormalisedRecipient = RecipientInput & { to: string | null; loc: (string | number)[] };

function normaliseRecipients(input: QueueOutboundInput, phoneRegion: PhoneRegion): NormalisedRecipient[] {
  const issues: FieldIssue[] = [];
  if (input.recipients.length === 0) issues.push({ type: 'missing', loc: ['recipients'], msg: 'Name at least one recipient: to, recipients, client_id or client_external_id' });
  if (input.recipients.length > MAX_RECIPIENTS) issues.push({ type: 'too_long', loc: ['recipients'], msg: `At most ${MAX_RECIPIENTS} recipients per request` });
  const seen = new Set<string>();
  const out: NormalisedRecipient[] = [];
  input.recipients.forEach((r, i) => {
    const loc = ['recipients', i];
    let to: string | null = null;
    if (r.to != null) {
      to = input.channel === 'sms' ? normalizePhone(r.to, phoneRegion) : normalizeEmail(r.to);
      if (!to) {
        issues.push({ type: 'value_error', loc: [...loc, 'to'], msg: input.channel === 'sms' ? 'Not a phone number (E.164, e.g. +14155550101, or a national number)' : 'Not an email address', input: r.to });
        return;
      }
    } else if (!r.clientId && !r.clientExternalId) {
      issues.push({ type: 'missing', loc: [...loc, 'to'], msg: 'Give "to", client_id or client_external_id' });
      return;
    }
    if (r.clientId) {
      try {
        assertOptionalUuid(r.clientId, [...loc, 'clientId']);
      } catch (err) {
        issues.push(...(err as ValidationError).issues);
        return;
      }
    }
    // The same recipient named twice in one request gets one message.
    const identity = to ?? `client:${r.clientId ?? ''}:${r.clientExternalId ?? ''}`;
    if (seen.has(identity)) return;
    seen.add(identity);
    out.push({ ...r, to, loc });
  });
  if (issues.length) throw new ValidationError(issues);
  return out;
}

