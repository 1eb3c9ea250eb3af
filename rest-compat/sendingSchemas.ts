// Schemas and mappings shared by the sending routes (sms, email, messages-sending): recipients,
// the queue/record/status answers, and where a body's business_id comes from.
import type { FastifyRequest } from 'fastify';
import { assertBusinessAccess, requirePrincipal } from '../src/domain/auth/principal.js';
import { ValidationError } from '../src/domain/errors.js';
import type { SmsSegments } from '../src/domain/sending/countSmsSegments.js';
import type { QueueResult, RecipientInput } from '../src/domain/sending/queueOutbound.js';
import type { RecordResult } from '../src/domain/sending/recordMessage.js';
import type { ReportDeliveryStatusInput } from '../src/domain/sending/reportDeliveryStatus.js';
import type { DeliveryStatusResult } from '../src/domain/sending/updateDeliveryStatus.js';
import { REPORTED_STATUS_WORDS } from '../src/domain/sending/toMessageStatus.js';
import { MAX_RECIPIENTS } from '../src/domain/sending/queueOutbound.js';
import { errorResponse, isoDateTime, nullable } from './schemas.js';

export const uuid = { type: 'string', format: 'uuid' } as const;
const shortText = { type: 'string', minLength: 1, maxLength: 200 } as const;
const name = { type: 'string', maxLength: 200 } as const;

export const businessIdField = { type: 'string', minLength: 1, maxLength: 128, description: 'Optional with a business key or session (its own business); required with a service key.' } as const;

/** Who a send goes to: `to`, or `recipients`, or a client by id (one of them). */
export const recipientFields = {
  to: { type: 'string', minLength: 1, maxLength: 320, description: 'One recipient: a phone number (any common format; stored as E.164) or an email address.' },
  recipients: {
    type: 'array',
    minItems: 1,
    maxItems: MAX_RECIPIENTS,
    items: {
      type: 'object',
      additionalProperties: false,
      properties: { to: { type: 'string', minLength: 1, maxLength: 320 }, client_id: uuid, client_external_id: shortText, first_name: name, last_name: name },
    },
    description: 'Many recipients; each makes its own message. Give `to` and/or a client.',
  },
  client_id: uuid,
  client_external_id: shortText,
  first_name: { ...name, description: 'Used when the client is created (first contact).' },
  last_name: name,
} as const;

export const sendOptionFields = {
  location_id: uuid,
  location_external_id: shortText,
  request_id: { ...shortText, description: 'Your correlation id: sending the same request to the same recipient again returns the existing message and sends nothing twice.' },
  send_at: { ...isoDateTime, description: 'Send later (up to 366 days); the message is `scheduled` until then.' },
  bypass_quiet_hours: { type: 'boolean', description: "Send even inside the business's quiet hours (urgent messages)." },
  staff_id: { ...uuid, description: 'The staff member sending (API key; a session is its own staff member: default, and any other one is 403 STAFF_FORBIDDEN).' },
  metadata: { type: 'object', description: 'Your own data, kept with the message.' },
} as const;

export interface RecipientBody {
  to?: string;
  recipients?: { to?: string; client_id?: string; client_external_id?: string; first_name?: string; last_name?: string }[];
  client_id?: string;
  client_external_id?: string;
  first_name?: string;
  last_name?: string;
}

export interface SendOptionBody {
  location_id?: string;
  location_external_id?: string;
  request_id?: string;
  send_at?: string;
  bypass_quiet_hours?: boolean;
  staff_id?: string;
  metadata?: Record<string, unknown>;
}

export function toRecipients(b: RecipientBody): RecipientInput[] {
  if (b.recipients) {
    return b.recipients.map((r) => ({ to: r.to, clientId: r.client_id, clientExternalId: r.client_external_id, firstName: r.first_name, lastName: r.last_name }));
  }
  if (b.to === undefined && b.client_id === undefined && b.client_external_id === undefined) return [];
  return [{ to: b.to, clientId: b.client_id, clientExternalId: b.client_external_id, firstName: b.first_name, lastName: b.last_name }];
}

export function toSendOptions(req: FastifyRequest, b: SendOptionBody) {
  return {
    locationId: b.location_id,
    locationExternalId: b.location_external_id,
    requestId: b.request_id,
    sendAt: b.send_at ? new Date(b.send_at) : null,
    bypassQuietHours: b.bypass_quiet_hours ?? false,
    principal: req.principal,
    authorStaffId: b.staff_id,
    metadata: b.metadata,
  };
}

/**
 * The business a body-addressed route acts on: `business_id` when given (and allowed), else the
 * business of a business key or session. A service key must name it.
 */
export function bodyBusinessId(req: FastifyRequest, given: string | undefined): string {
  const principal = requirePrincipal(req.principal);
  const businessId = given ?? (principal.kind === 'service' ? undefined : principal.businessId);
  if (!businessId) throw new ValidationError([{ type: 'missing', loc: ['businessId'], msg: 'Field required with a service key' }]);
  assertBusinessAccess(principal, businessId);
  return businessId;
}

/** For status updates: a service key without business_id may name any business's message. */
export function optionalBodyBusinessId(req: FastifyRequest, given: string | undefined): string | null {
  const principal = requirePrincipal(req.principal);
  if (given === undefined && principal.kind === 'service') return null;
  return bodyBusinessId(req, given);
}

const queuedMessage = {
  type: 'object',
  properties: {
    message_id: { type: 'string' },
    conversation_id: { type: 'string' },
    client_id: { type: 'string' },
    to: { type: 'string' },
    status: { type: 'string', description: 'queued, or scheduled (send_at / quiet hours); a replayed request shows the current status.' },
    scheduled_at: nullable(isoDateTime),
    created: { type: 'boolean', description: 'false: already sent under this request_id; nothing new was queued.' },
  },
  required: ['message_id', 'conversation_id', 'client_id', 'to', 'status', 'scheduled_at', 'created'],
} as const;

export const segmentsSchema = {
  type: 'object',
  properties: { encoding: { type: 'string', enum: ['gsm7', 'ucs2'] }, count: { type: 'integer' }, units: { type: 'integer' } },
  required: ['encoding', 'count', 'units'],
} as const;

export const queueResponse = (withSegments: boolean) => ({
  type: 'object',
  description: 'Accepted: the messages and their send jobs are stored; sending happens in the background.',
  properties: {
    request_id: nullable({ type: 'string' }),
    status: { type: 'string', description: "The messages' status when they all share it, else `mixed`." },
    message_ids: { type: 'array', items: { type: 'string' } },
    messages: { type: 'array', items: queuedMessage },
    ...(withSegments ? { segments: segmentsSchema } : {}),
  },
  required: ['request_id', 'status', 'message_ids', 'messages', ...(withSegments ? ['segments'] : [])],
});

export function toQueueResponse(r: QueueResult & { segments?: SmsSegments }) {
  const statuses = new Set(r.messages.map((m) => m.status));
  return {
    request_id: r.requestId,
    status: statuses.size === 1 ? [...statuses][0]! : 'mixed',
    message_ids: r.messages.map((m) => m.messageId),
    messages: r.messages.map((m) => ({
      message_id: m.messageId,
      conversation_id: m.conversationId,
      client_id: m.clientId,
      to: m.to,
      status: m.status,
      scheduled_at: m.scheduledAt?.toISOString() ?? null,
      created: m.created,
    })),
    ...(r.segments ? { segments: { encoding: r.segments.encoding, count: r.segments.segments, units: r.segments.units } } : {}),
  };
}

export const recordResponse = {
  type: 'object',
  properties: {
    message_id: { type: 'string' },
    conversation_id: { type: 'string' },
    client_id: { type: 'string' },
    status: { type: 'string' },
    created: { type: 'boolean', description: 'false: recorded before (same provider and provider_message_id); nothing changed.' },
  },
  required: ['message_id', 'conversation_id', 'client_id', 'status', 'created'],
} as const;

export const toRecordResponse = (r: RecordResult) => ({ message_id: r.messageId, conversation_id: r.conversationId, client_id: r.clientId, status: r.status, created: r.created });

export const recordFields = {
  direction: { type: 'string', enum: ['inbound', 'outbound'], default: 'outbound' },
  from: { type: 'string', minLength: 1, maxLength: 320, description: 'A phone number, or an email address (`rosa@example.com` or `Rosa Mitchell <rosa@example.com>`).' },
  to: { type: 'string', minLength: 1, maxLength: 320, description: 'A phone number, or an email address (`rosa@example.com` or `Rosa Mitchell <rosa@example.com>`).' },
  client_id: uuid,
  client_external_id: shortText,
  first_name: name,
  last_name: name,
  location_id: uuid,
  location_external_id: shortText,
  conversation_id: uuid,
  status: { type: 'string', enum: ['received', 'queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled'] },
  provider: { type: 'string', minLength: 1, maxLength: 50, description: 'Who carried it (default `external`).' },
  provider_message_id: { type: 'string', minLength: 1, maxLength: 200, description: 'Recording the same provider message again returns the first record.' },
  request_id: shortText,
  occurred_at: isoDateTime,
  staff_id: { ...uuid, description: 'The staff member recording it (API key; a session is its own staff member: default, and any other one is 403 STAFF_FORBIDDEN).' },
  read: { type: 'boolean', description: 'Inbound: already read by the business.' },
  metadata: { type: 'object' },
} as const;

export interface RecordBody {
  business_id?: string;
  direction?: 'inbound' | 'outbound';
  from?: string;
  to?: string;
  client_id?: string;
  client_external_id?: string;
  first_name?: string;
  last_name?: string;
  location_id?: string;
  location_external_id?: string;
  conversation_id?: string;
  status?: 'received' | 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed' | 'canceled';
  provider?: string;
  provider_message_id?: string;
  request_id?: string;
  occurred_at?: string;
  staff_id?: string;
  read?: boolean;
  metadata?: Record<string, unknown>;
}

export function toRecordInput(req: FastifyRequest, b: RecordBody) {
  return {
    businessId: bodyBusinessId(req, b.business_id),
    direction: b.direction ?? 'outbound',
    status: b.status,
    from: b.from,
    to: b.to,
    clientId: b.client_id,
    clientExternalId: b.client_external_id,
    firstName: b.first_name,
    lastName: b.last_name,
    locationId: b.location_id,
    locationExternalId: b.location_external_id,
    conversationId: b.conversation_id,
    provider: b.provider,
    providerMessageId: b.provider_message_id,
    requestId: b.request_id,
    occurredAt: b.occurred_at ? new Date(b.occurred_at) : null,
    principal: req.principal,
    authorStaffId: b.staff_id,
    seen: b.read,
    metadata: b.metadata,
  } as const;
}

export const statusBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    business_id: businessIdField,
    message_id: uuid,
    provider: { type: 'string', minLength: 1, maxLength: 50, description: "With provider_message_id (default: the channel's provider)." },
    provider_message_id: { type: 'string', minLength: 1, maxLength: 200 },
    status: { type: 'string', enum: REPORTED_STATUS_WORDS, description: "Omega's statuses, Twilio's MessageStatus values or Resend's event names." },
    error_code: { type: 'string', maxLength: 100 },
    error_message: { type: 'string', maxLength: 2000 },
    event_id: { type: 'string', minLength: 1, maxLength: 200, description: 'Your id of this report: a report with a known event_id is ignored (no new event).' },
    occurred_at: isoDateTime,
    payload: { type: 'object', description: 'Raw report, kept with the event.' },
  },
  required: ['status'],
} as const;

export interface StatusBody {
  business_id?: string;
  message_id?: string;
  provider?: string;
  provider_message_id?: string;
  status: string;
  error_code?: string;
  error_message?: string;
  event_id?: string;
  occurred_at?: string;
  payload?: Record<string, unknown>;
}

/** POST /sms/status and /email/status: the body as reportDeliveryStatus's input for that channel. */
export function toStatusInput(req: FastifyRequest, b: StatusBody, channel: 'sms' | 'email'): ReportDeliveryStatusInput {
  return {
    businessId: optionalBodyBusinessId(req, b.business_id),
    channel,
    messageId: b.message_id,
    provider: b.provider,
    providerMessageId: b.provider_message_id,
    status: b.status,
    errorCode: b.error_code,
    errorMessage: b.error_message,
    eventId: b.event_id,
    occurredAt: b.occurred_at ? new Date(b.occurred_at) : null,
    payload: b.payload,
  };
}

export const statusResponse = {
  200: {
    type: 'object',
    properties: {
      message_id: { type: 'string' },
      previous_status: { type: 'string' },
      status: { type: 'string' },
      changed: { type: 'boolean', description: 'false for a repeated or late report (statuses only move forward); it is still kept as an event.' },
      duplicate: { type: 'boolean', description: 'The event_id was seen before: nothing was recorded.' },
    },
    required: ['message_id', 'previous_status', 'status', 'changed', 'duplicate'],
  },
  404: { ...errorResponse, description: 'Unknown message' },
  409: { ...errorResponse, description: 'The message is not outbound (MESSAGE_NOT_OUTBOUND)' },
} as const;

export const toStatusResponse = (r: DeliveryStatusResult) => ({ message_id: r.messageId, previous_status: r.previousStatus, status: r.status, changed: r.changed, duplicate: r.duplicate });
