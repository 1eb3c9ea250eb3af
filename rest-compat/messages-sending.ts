// The messages group's sending routes: retry one failed message, retry many, and process a message
// of any channel. (The group's read routes are in rest-compat/messages.ts.)
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../src/domain/deps.js';
import { processMessage, type ProcessResult } from '../src/domain/sending/processMessage.js';
import { SMS_MAX_MEDIA } from '../src/domain/sending/queueSms.js';
import { retryMessage, type RetryResult } from '../src/domain/sending/retryMessage.js';
import { RETRY_BATCH_MAX, retryMessages } from '../src/domain/sending/retryMessages.js';
import { describe } from './catalog.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, isoDateTime, nullable } from './schemas.js';
import { recipientFields, recordFields, segmentsSchema, sendOptionFields, uuid, type RecipientBody, type SendOptionBody, toRecipients } from './sendingSchemas.js';

const retried = {
  type: 'object',
  properties: { message_id: { type: 'string' }, status: { type: 'string' }, attempts: { type: 'integer', description: 'Send attempts made before this retry.' } },
  required: ['message_id', 'status', 'attempts'],
} as const;
const toRetried = (r: RetryResult) => ({ message_id: r.messageId, status: r.status, attempts: r.attempts });

const retryManyBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    message_ids: { type: 'array', minItems: 1, maxItems: RETRY_BATCH_MAX, items: uuid, description: 'Retry exactly these; without ids, the filters choose.' },
    status: { type: 'array', items: { type: 'string', enum: ['failed', 'undelivered'] }, description: 'Default: both.' },
    channel: { type: 'string', enum: ['sms', 'email'] },
    since: isoDateTime,
    until: isoDateTime,
    conversation_id: uuid,
    client_id: uuid,
    request_id: { type: 'string', minLength: 1, maxLength: 200 },
    limit: { type: 'integer', minimum: 1, maximum: RETRY_BATCH_MAX, default: 100, description: 'Filters only: at most this many, oldest first.' },
  },
} as const;

type RetryManyBody = {
  message_ids?: string[];
  status?: ('failed' | 'undelivered')[];
  channel?: 'sms' | 'email';
  since?: string;
  until?: string;
  conversation_id?: string;
  client_id?: string;
  request_id?: string;
  limit?: number;
};

// recordFields' `direction` (inbound/outbound) gives way to the wider one (notes are internal).
const { direction: _recordDirection, ...recordOnlyFields } = recordFields;

const processBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...recipientFields,
    ...sendOptionFields,
    ...recordOnlyFields,
    channel: { type: 'string', enum: ['sms', 'email', 'voice', 'note'] },
    direction: { type: 'string', enum: ['inbound', 'outbound', 'internal'], description: 'Default: outbound (internal for notes).' },
    mode: { type: 'string', enum: ['send', 'record'], description: 'Default: send for outbound SMS and email, record otherwise.' },
    body: { type: 'string', maxLength: 500_000, description: 'SMS text, email plain text, call summary or note.' },
    subject: { type: 'string', maxLength: 998 },
    html: { type: 'string', maxLength: 1_000_000 },
    media_urls: { type: 'array', maxItems: SMS_MAX_MEDIA, items: { type: 'string', format: 'uri', maxLength: 2000 } },
    mention_staff_ids: { type: 'array', maxItems: 50, items: uuid },
  },
  required: ['channel'],
} as const;

type ProcessBody = RecipientBody & SendOptionBody & {
  channel: 'sms' | 'email' | 'voice' | 'note';
  direction?: 'inbound' | 'outbound' | 'internal';
  mode?: 'send' | 'record';
  from?: string;
  conversation_id?: string;
  status?: 'received' | 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed' | 'canceled';
  provider?: string;
  provider_message_id?: string;
  occurred_at?: string;
  read?: boolean;
  body?: string;
  subject?: string;
  html?: string;
  media_urls?: string[];
  mention_staff_ids?: string[];
};

const processResponse = {
  type: 'object',
  properties: {
    mode: { type: 'string', enum: ['send', 'record'] },
    channel: { type: 'string' },
    direction: { type: 'string' },
    request_id: nullable({ type: 'string' }),
    message_ids: { type: 'array', items: { type: 'string' } },
    messages: {
      type: 'array',
      items: {
        type: 'object',
        properties: { message_id: { type: 'string' }, conversation_id: { type: 'string' }, client_id: { type: 'string' }, status: { type: 'string' }, created: { type: 'boolean' } },
        required: ['message_id', 'conversation_id', 'client_id', 'status', 'created'],
      },
    },
    segments: nullable(segmentsSchema),
  },
  required: ['mode', 'channel', 'direction', 'request_id', 'message_ids', 'messages', 'segments'],
} as const;

const toProcessResponse = (r: ProcessResult) => ({
  mode: r.mode,
  channel: r.channel,
  direction: r.direction,
  request_id: r.requestId,
  message_ids: r.messages.map((m) => m.messageId),
  messages: r.messages.map((m) => ({ message_id: m.messageId, conversation_id: m.conversationId, client_id: m.clientId, status: m.status, created: m.created })),
  segments: r.segments ? { encoding: r.segments.encoding, count: r.segments.segments, units: r.segments.units } : null,
});

export function messagesSendingRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { business_id: string; message_id: string } }>('/messages/:business_id/messages/:message_id/retry', {
      schema: {
        ...describe('POST', '/messages/:business_id/messages/:message_id/retry'),
        description: 'A real new send of a failed (or undelivered) SMS or email: a new send job, attempts counted. 409 MESSAGE_NOT_FAILED otherwise.',
        security: apiKeySecurity,
        params: { type: 'object', properties: { ...businessIdParams.properties, message_id: uuid }, required: ['business_id', 'message_id'] },
        response: {
          202: retried,
          404: { ...errorResponse, description: 'Unknown message' },
          409: { ...errorResponse, description: 'MESSAGE_NOT_FAILED, CLIENT_OPTED_OUT or EMAIL_SUPPRESSED' },
          ...authErrors,
        },
      },
    }, async (req, reply) => {
      const result = await retryMessage(deps, { principal: req.principal, businessId: req.params.business_id, messageId: req.params.message_id });
      return reply.status(202).send(toRetried(result));
    });

    app.post<{ Params: { business_id: string }; Body: RetryManyBody | undefined }>('/messages/:business_id/messages/retry', {
      schema: {
        ...describe('POST', '/messages/:business_id/messages/retry'),
        description: 'Retries failed messages by ids, or by filters (status, channel, since/until, conversation, client, request). Messages that cannot be retried are listed in `skipped` with their code.',
        security: apiKeySecurity,
        params: businessIdParams,
        body: retryManyBody,
        response: {
          202: {
            type: 'object',
            properties: {
              retried: { type: 'array', items: retried },
              skipped: {
                type: 'array',
                items: { type: 'object', properties: { message_id: { type: 'string' }, code: { type: 'string' }, detail: { type: 'string' } }, required: ['message_id', 'code', 'detail'] },
              },
            },
            required: ['retried', 'skipped'],
          },
          ...authErrors,
        },
      },
    }, async (req, reply) => {
      const b = req.body ?? {};
      const result = await retryMessages(deps, {
        principal: req.principal,
        businessId: req.params.business_id,
        messageIds: b.message_ids,
        filter: {
          status: b.status,
          channel: b.channel,
          since: b.since ? new Date(b.since) : null,
          until: b.until ? new Date(b.until) : null,
          conversationId: b.conversation_id,
          clientId: b.client_id,
          requestId: b.request_id,
        },
        limit: b.limit,
      });
      return reply.status(202).send({ retried: result.retried.map(toRetried), skipped: result.skipped.map((s) => ({ message_id: s.messageId, code: s.code, detail: s.detail })) });
    });

    app.post<{ Params: { business_id: string }; Body: ProcessBody }>('/messages/:business_id/process', {
      schema: {
        ...describe('POST', '/messages/:business_id/process'),
        description: 'One entry for SMS, email, calls and notes, inbound or outbound, sent or recorded: 202 when something is queued for sending, 201 when recorded.',
        security: apiKeySecurity,
        params: businessIdParams,
        body: processBody,
        response: {
          201: processResponse,
          202: processResponse,
          404: { ...errorResponse, description: 'Unknown business, client, conversation, location or staff member' },
          409: { ...errorResponse, description: 'CLIENT_OPTED_OUT, EMAIL_SUPPRESSED, NO_SMS_SENDER, NO_EMAIL_SENDER, PROVIDER_MESSAGE_ID_TAKEN' },
          ...authErrors,
        },
      },
    }, async (req, reply) => {
      const b = req.body;
      const result = await processMessage(deps, {
        principal: req.principal,
        businessId: req.params.business_id,
        channel: b.channel,
        direction: b.direction,
        mode: b.mode,
        to: b.to,
        from: b.from,
        recipients: b.recipients ? toRecipients({ recipients: b.recipients }) : null,
        clientId: b.client_id,
        clientExternalId: b.client_external_id,
        firstName: b.first_name,
        lastName: b.last_name,
        conversationId: b.conversation_id,
        locationId: b.location_id,
        locationExternalId: b.location_external_id,
        body: b.body,
        subject: b.subject,
        html: b.html,
        mediaUrls: b.media_urls,
        status: b.status,
        provider: b.provider,
        providerMessageId: b.provider_message_id,
        requestId: b.request_id,
        sendAt: b.send_at ? new Date(b.send_at) : null,
        bypassQuietHours: b.bypass_quiet_hours,
        occurredAt: b.occurred_at ? new Date(b.occurred_at) : null,
        seen: b.read,
        staffId: b.staff_id,
        mentionStaffIds: b.mention_staff_ids,
        metadata: b.metadata,
      });
      return reply.status(result.mode === 'send' ? 202 : 201).send(toProcessResponse(result));
    });
  };
}
