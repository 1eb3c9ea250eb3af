// Schemas and mappings shared by the sending routes (sms, email, messages-sending): recipients,
// the queue/record/status answers, and where a body's business_id comes from.
import type { FastifyRequest } from 'fastify';
import { assertBusinessAccess, requirePrincipal } from '../src/domain/auth/principal.js';
import { ValidationError } from '../src/domain/errors.js';
import type { SmsSegments } from '../src/domain/sending/countSmsSegments.js';
import type { QueueResult, RecipientInput } from '../src/domain/sending/sendRequest.js';
import type { RecordResult } from '../src/domain/sending/recordMessage.js';
import type { ReportDeliveryStatusInput } from '../src/domain/sending/reportDeliveryStatus.js';
import type { DeliveryStatusResult } from '../src/domain/sending/updateDeliveryStatus.js';
import { REPORTED_STATUS_WORDS } from '../src/domain/sending/toMessageStatus.js';
import { MAX_RECIPIENTS } from '../src/domain/sending/queueOutbound.js';
import Type, { type Static, type TObject } from 'typebox';
import { AnyObject, errorResponse, IsoDateTime, Nullable, optional, Ref, StringEnum, Uuid } from './schemas.js';

const shortText = (description?: string) => Type.String({ minLength: 1, maxLength: 200, ...(description ? { description } : {}) });
const name = (description?: string) => Type.String({ maxLength: 200, ...(description ? { description } : {}) });

export const businessIdField = Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Optional with a business key or session (its own business); required with a service key.' }));

/** Who a send goes to: `to`, or `recipients`, or a client by id (one of them). */
export const recipientFields = optional({
  to: Type.String({ minLength: 1, maxLength: 320, description: 'One recipient: a phone number (any common format; stored as E.164) or an email address.' }),
  recipients: Type.Array(
    Type.Object(optional({ to: Type.String({ minLength: 1, maxLength: 320 }), client_id: Uuid(), client_external_id: shortText(), first_name: name(), last_name: name() }), {
      additionalProperties: false,
    }),
    { minItems: 1, maxItems: MAX_RECIPIENTS, description: 'Many recipients; each makes its own message. Give `to` and/or a client.' },
  ),
  client_id: Uuid(),
  client_external_id: shortText(),
  first_name: name('Used when the client is created (first contact).'),
  last_name: name(),
});

export const sendOptionFields = optional({
  location_id: Uuid(),
  location_external_id: shortText(),
  request_id: shortText('Your correlation id: sending the same request to the same recipient again returns the existing message and sends nothing twice.'),
  send_at: IsoDateTime({ description: 'Send later (up to 366 days); the message is `scheduled` until then.' }),
  bypass_quiet_hours: Type.Boolean({ description: "Send even inside the business's quiet hours (urgent messages)." }),
  staff_id: Uuid({ description: 'The staff member sending (API key; a session is its own staff member: default, and any other one is 403 STAFF_FORBIDDEN).' }),
  metadata: AnyObject({ description: 'Your own data, kept with the message.' }),
});

type RecipientBody = Static<TObject<typeof recipientFields>>;
type SendOptionBody = Static<TObject<typeof sendOptionFields>>;

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

const queuedMessage = Type.Object({
  message_id: Type.String(),
  conversation_id: Type.String(),
  client_id: Type.String(),
  to: Type.String(),
  status: Type.String({ description: 'queued, or scheduled (send_at / quiet hours); a replayed request shows the current status.' }),
  scheduled_at: Nullable(IsoDateTime()),
  created: Type.Boolean({ description: 'false: already sent under this request_id; nothing new was queued.' }),
});

export const segmentsSchema = Type.Object({ encoding: StringEnum(['gsm7', 'ucs2']), count: Type.Integer(), units: Type.Integer() });

const queueFields = {
  request_id: Nullable(Type.String()),
  status: Type.String({ description: "The messages' status when they all share it, else `mixed`." }),
  message_ids: Type.Array(Type.String()),
  messages: Type.Array(queuedMessage),
};
const queueDescription = 'Accepted: the messages and their send jobs are stored; sending happens in the background.';
const queuedExample = {
  request_id: 'reminder-42',
  status: 'queued',
  message_ids: ['9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'],
  messages: [
    {
      message_id: '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      conversation_id: '5b0c4f7e-8a0d-4c53-9d57-2f1c1c3f4b6a',
      client_id: '0d9a7b1e-51c2-4a55-9f55-7f4a1f0c2b11',
      to: '+14155550101',
      status: 'queued',
      scheduled_at: null,
      created: true,
    },
  ],
};

export const QueuedSmsSchema = Type.Object(
  { ...queueFields, segments: segmentsSchema },
  { $id: 'QueuedSms', description: queueDescription, example: { ...queuedExample, segments: { encoding: 'gsm7', count: 1, units: 24 } } },
);
export const QueuedEmailSchema = Type.Object(queueFields, {
  $id: 'QueuedEmail',
  description: queueDescription,
  example: { ...queuedExample, messages: [{ ...queuedExample.messages[0], to: 'rosa.mitchell@example.com' }] },
});

/** 202 of /sms/send (with the text's segments) and /email/send (without). */
export const queueResponse = { sms: Ref(QueuedSmsSchema), email: Ref(QueuedEmailSchema) };

export function toQueueResponse(r: QueueResult & { segments: SmsSegments }): Static<typeof queueResponse.sms>;
export function toQueueResponse(r: QueueResult): Static<typeof queueResponse.email>;
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

export const RecordResultSchema = Type.Object(
  {
    message_id: Type.String(),
    conversation_id: Type.String(),
    client_id: Type.String(),
    status: Type.String(),
    created: Type.Boolean({ description: 'false: recorded before (same provider and provider_message_id); nothing changed.' }),
  },
  {
    $id: 'RecordResult',
    description: 'A message recorded (sent or received elsewhere; nothing is sent).',
    example: {
      message_id: '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      conversation_id: '5b0c4f7e-8a0d-4c53-9d57-2f1c1c3f4b6a',
      client_id: '0d9a7b1e-51c2-4a55-9f55-7f4a1f0c2b11',
      status: 'delivered',
      created: true,
    },
  },
);

export const recordResponse = Ref(RecordResultSchema);

export const toRecordResponse = (r: RecordResult) => ({ message_id: r.messageId, conversation_id: r.conversationId, client_id: r.clientId, status: r.status, created: r.created });

const address = () => Type.String({ minLength: 1, maxLength: 320, description: 'A phone number, or an email address (`rosa@example.com` or `Rosa Mitchell <rosa@example.com>`).' });

export const recordFields = optional({
  direction: StringEnum(['inbound', 'outbound'], { default: 'outbound' }),
  from: address(),
  to: address(),
  client_id: Uuid(),
  client_external_id: shortText(),
  first_name: name(),
  last_name: name(),
  location_id: Uuid(),
  location_external_id: shortText(),
  conversation_id: Uuid(),
  status: StringEnum(['received', 'queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled']),
  provider: Type.String({ minLength: 1, maxLength: 50, description: 'Who carried it (default `external`).' }),
  provider_message_id: Type.String({ minLength: 1, maxLength: 200, description: 'Recording the same provider message again returns the first record.' }),
  request_id: shortText(),
  occurred_at: IsoDateTime(),
  staff_id: Uuid({ description: 'The staff member recording it (API key; a session is its own staff member: default, and any other one is 403 STAFF_FORBIDDEN).' }),
  read: Type.Boolean({ description: 'Inbound: already read by the business.' }),
  metadata: AnyObject(),
});

type RecordBody = Static<TObject<{ business_id: typeof businessIdField } & typeof recordFields>>;

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

export const statusBody = Type.Object(
  {
    business_id: businessIdField,
    ...optional({
      message_id: Uuid(),
      provider: Type.String({ minLength: 1, maxLength: 50, description: "With provider_message_id (default: the channel's provider)." }),
      provider_message_id: Type.String({ minLength: 1, maxLength: 200 }),
    }),
    status: StringEnum(REPORTED_STATUS_WORDS, { description: "Omega's statuses, Twilio's MessageStatus values or Resend's event names." }),
    ...optional({
      error_code: Type.String({ maxLength: 100 }),
      error_message: Type.String({ maxLength: 2000 }),
      event_id: Type.String({ minLength: 1, maxLength: 200, description: 'Your id of this report: a report with a known event_id is ignored (no new event).' }),
      occurred_at: IsoDateTime(),
      payload: AnyObject({ description: 'Raw report, kept with the event.' }),
    }),
  },
  { additionalProperties: false },
);

type StatusBody = Static<typeof statusBody>;

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

export const DeliveryStatusResultSchema = Type.Object(
  {
    message_id: Type.String(),
    previous_status: Type.String(),
    status: Type.String(),
    changed: Type.Boolean({ description: 'false for a repeated or late report (statuses only move forward); it is still kept as an event.' }),
    duplicate: Type.Boolean({ description: 'The event_id was seen before: nothing was recorded.' }),
  },
  {
    $id: 'DeliveryStatusResult',
    description: 'A delivery report applied to a message: its status before and after.',
    example: { message_id: '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', previous_status: 'sent', status: 'delivered', changed: true, duplicate: false },
  },
);

export const statusResponse = {
  200: Ref(DeliveryStatusResultSchema),
  404: errorResponse('Unknown message'),
  409: errorResponse('The message is not outbound (MESSAGE_NOT_OUTBOUND)'),
};

export const toStatusResponse = (r: DeliveryStatusResult) => ({ message_id: r.messageId, previous_status: r.previousStatus, status: r.status, changed: r.changed, duplicate: r.duplicate });
