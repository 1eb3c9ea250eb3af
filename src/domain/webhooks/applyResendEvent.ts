import type { MessageStatus } from '../../generated/prisma/enums.js';
import type { ConsentSignal } from '../../channels/types.js';
import type { Deps } from '../deps.js';
import { DomainError, NotFoundError } from '../errors.js';
import { updateDeliveryStatus } from '../sending/updateDeliveryStatus.js';
import { findReportedMessage } from './findReportedMessage.js';
import { receiveInboundEmail, type InboundEmailResult } from './receiveInboundEmail.js';
import { isUuid } from '../ids.js';
import { readEmailTags } from '../sending/emailTags.js';

/** One verified Resend webhook delivery: { type, created_at, data } as Resend documents it. */
export interface ResendEvent {
  /** svix-id: every retry of one event carries the same id, so a repeat records nothing. */
  deliveryId: string;
  type: string;
  createdAt: string | null;
  data: Record<string, unknown>;
}

export type ResendEventResult =
  { outcome: 'applied' | 'unchanged' | 'duplicate'; messageId: string; status: MessageStatus; consent: ConsentSignal | null } | { outcome: 'ignored'; reason: string } | InboundEmailResult;

/** How long after an event an unknown email_id is answered 404 (Resend retries) rather than ignored: the send worker may not have stored Resend's id yet. */
export const UNKNOWN_EMAIL_RETRY_WINDOW_MS = 15 * 60_000;

interface Effect {
  status: MessageStatus | null;
  eventType: string;
  consent?: ConsentSignal;
  consentReason?: string;
  errorCode?: string;
  errorMessage?: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

/** What each Resend email event does to the message and the client's email consent. */
function effectOf(type: string, data: Record<string, unknown>): Effect | null {
  switch (type) {
    case 'email.sent':
      return { status: 'sent', eventType: 'status' };
    case 'email.delivered':
      return { status: 'delivered', eventType: 'status' };
    case 'email.delivery_delayed':
      return { status: null, eventType: 'delivery_delayed' };
    case 'email.bounced': {
      const bounce = obj(data['bounce']);
      const kind = str(bounce['type']);
      const detail = [kind, str(bounce['subType'])].filter(Boolean).join('/');
      const message = str(bounce['message']) ?? 'The recipient mail server rejected the email';
      // Resend reports permanent rejections here; a transient one (rare) says so and suppresses nothing.
      if (kind && kind.toLowerCase() !== 'permanent') return { status: null, eventType: 'bounced', errorCode: `bounce:${detail}`, errorMessage: message };
      return {
        status: 'undelivered',
        eventType: 'status',
        consent: 'email_suppressed',
        consentReason: detail ? `bounced: ${detail}` : 'bounced',
        errorCode: `bounce:${detail || 'Permanent'}`,
        errorMessage: message,
      };
    }
    case 'email.complained':
      // The recipient marked it as spam: stop emailing them (suppressed, reason "complained").
      return { status: null, eventType: 'complained', consent: 'email_suppressed', consentReason: 'complained' };
    case 'email.opened':
      return { status: null, eventType: 'opened' };
    case 'email.clicked':
      return { status: null, eventType: 'clicked' };
    case 'email.failed':
      return { status: 'failed', eventType: 'status', errorCode: 'failed', errorMessage: str(obj(data['failed'])['reason']) ?? 'Resend could not send the email' };
    case 'email.suppressed': {
      const s = obj(data['suppressed']);
      return {
        status: 'failed',
        eventType: 'status',
        consent: 'email_suppressed',
        consentReason: `suppressed: ${str(s['type']) ?? 'unknown'}`,
        errorCode: 'suppressed',
        errorMessage: str(s['message']) ?? "The address is on Resend's suppression list",
      };
    }
    case 'email.scheduled':
      return { status: null, eventType: 'scheduled' };
    default:
      return null;
  }
}

/**
 * Applies one Resend webhook event: delivery events through the forward-only status machine
 * (updateDeliveryStatus, deduplicated by svix-id), a hard bounce or a complaint suppresses the
 * client's email, opens and clicks are recorded as events, and email.received becomes an inbound
 * message (receiveInboundEmail). Event types Omega does not use are acknowledged and ignored.
 */
export async function applyResendEvent(deps: Deps, event: ResendEvent): Promise<ResendEventResult> {
  const occurredAt = parseTime(event.createdAt) ?? deps.clock.now();
  if (event.type === 'email.received') {
    const d = event.data;
    const emailId = str(d['email_id']);
    if (!emailId) return { outcome: 'ignored', reason: 'email.received without data.email_id' };
    return receiveInboundEmail(deps, {
      emailId,
      deliveryId: event.deliveryId,
      from: str(d['from']) ?? '',
      to: strings(d['to']),
      cc: strings(d['cc']),
      receivedFor: strings(d['received_for']),
      subject: str(d['subject']),
      messageIdHeader: str(d['message_id']),
      attachments: Array.isArray(d['attachments']) ? (d['attachments'] as Record<string, unknown>[]) : [],
      occurredAt: parseTime(str(d['created_at'])) ?? occurredAt,
    });
  }
  const effect = effectOf(event.type, event.data);
  if (!effect) return { outcome: 'ignored', reason: `event type ${event.type} is not used by Omega` };
  const emailId = str(event.data['email_id']);
  if (!emailId) return { outcome: 'ignored', reason: `${event.type} without data.email_id` };
  const click = obj(event.data['click']);
  // The tags Omega put on the email (emailTags) name its message and business: the event goes
  // straight to its business's group commit, and finds the message even before Resend's id is
  // stored. The svix signature covers them. Emails sent without them are looked up by Resend's id.
  const tagged = readEmailTags(event.data['tags']);
  const named = tagged.messageId && tagged.businessId && isUuid(tagged.messageId) ? { messageId: tagged.messageId.toLowerCase(), businessId: tagged.businessId } : null;
  const target = named ?? (await findReportedMessage(deps, { messageId: tagged.messageId, provider: 'resend', providerMessageId: emailId }));
  try {
    if (!target) throw new NotFoundError('MESSAGE_NOT_FOUND', `No email with Resend id ${emailId}.`);
    const result = await updateDeliveryStatus(deps, {
      businessId: target.businessId,
      messageId: target.messageId,
      channel: 'email',
      provider: 'resend',
      providerMessageId: emailId,
      status: effect.status,
      consent: effect.consent ?? null,
      consentReason: effect.consentReason ?? null,
      providerStatus: event.type,
      errorCode: effect.errorCode ?? null,
      errorMessage: effect.errorMessage ?? null,
      providerEventId: event.deliveryId,
      occurredAt: event.type === 'email.clicked' ? (parseTime(str(click['timestamp'])) ?? occurredAt) : occurredAt,
      source: 'webhook',
      eventType: effect.eventType,
      payload: {
        event: event.type,
        ...(Object.keys(click).length ? { click } : {}),
        ...(event.data['bounce'] ? { bounce: event.data['bounce'] } : {}),
        ...(event.data['tags'] ? { tags: event.data['tags'] } : {}),
      },
    });
    return {
      outcome: result.duplicate ? 'duplicate' : result.changed ? 'applied' : 'unchanged',
      messageId: result.messageId,
      status: result.status,
      consent: result.duplicate ? null : (effect.consent ?? null),
    };
  } catch (err) {
    if (!(err instanceof DomainError) || err.code !== 'MESSAGE_NOT_FOUND') throw err;
    // Tags naming no email of that business (a message since deleted, say): what Resend's id says.
    if (named) return applyResendEvent(deps, { ...event, data: { ...event.data, tags: null } });
    // Resend can call before the send worker has stored the email's id: ask for a retry while the
    // event is fresh; an email Omega never sent (another app on the account) is acknowledged later on.
    if (deps.clock.now().getTime() - occurredAt.getTime() < UNKNOWN_EMAIL_RETRY_WINDOW_MS) {
      throw new NotFoundError('EMAIL_NOT_FOUND', `No email with Resend id ${emailId} yet; Resend will deliver this ${event.type} event again.`);
    }
    return { outcome: 'ignored', reason: `no email with Resend id ${emailId}` };
  }
}

function parseTime(value: string | null): Date | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
}
