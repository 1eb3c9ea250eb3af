// The messages group's sending routes: retry one failed message, retry many, and process a message
// of any channel. (The group's read routes are in rest-compat/messages.ts.)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Deps } from '../src/domain/deps.js';
import { processMessage, type ProcessResult } from '../src/domain/sending/processMessage.js';
import { SMS_MAX_MEDIA } from '../src/domain/sending/queueSms.js';
import { retryMessage, type RetryResult } from '../src/domain/sending/retryMessage.js';
import { RETRY_BATCH_MAX, retryMessages } from '../src/domain/sending/retryMessages.js';
import { describe } from './catalog.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, IsoDateTime, Nullable, optional, StringEnum, Uuid } from './schemas.js';
import { recipientFields, recordFields, segmentsSchema, sendOptionFields, toRecipients } from './sendingSchemas.js';

const retried = Type.Object({ message_id: Type.String(), status: Type.String(), attempts: Type.Integer({ description: 'Send attempts made before this retry.' }) });
const toRetried = (r: RetryResult) => ({ message_id: r.messageId, status: r.status, attempts: r.attempts });

const retryManyBody = Type.Object(
  optional({
    message_ids: Type.Array(Uuid(), { minItems: 1, maxItems: RETRY_BATCH_MAX, description: 'Retry exactly these; without ids, the filters choose.' }),
    status: Type.Array(StringEnum(['failed', 'undelivered']), { description: 'Default: both.' }),
    channel: StringEnum(['sms', 'email']),
    since: IsoDateTime(),
    until: IsoDateTime(),
    conversation_id: Uuid(),
    client_id: Uuid(),
    request_id: Type.String({ minLength: 1, maxLength: 200 }),
    limit: Type.Integer({ minimum: 1, maximum: RETRY_BATCH_MAX, default: 100, description: 'Filters only: at most this many, oldest first.' }),
  }),
  { additionalProperties: false },
);

// recordFields' `direction` (inbound/outbound) gives way to the wider one (notes are internal).
const { direction: _recordDirection, ...recordOnlyFields } = recordFields;

const processBody = Type.Object(
  {
    ...recipientFields,
    ...sendOptionFields,
    ...recordOnlyFields,
    channel: StringEnum(['sms', 'email', 'voice', 'note']),
    ...optional({
      direction: StringEnum(['inbound', 'outbound', 'internal'], { description: 'Default: outbound (internal for notes).' }),
      mode: StringEnum(['send', 'record'], { description: 'Default: send for outbound SMS and email, record otherwise.' }),
      body: Type.String({ maxLength: 500_000, description: 'SMS text, email plain text, call summary or note.' }),
      subject: Type.String({ maxLength: 998 }),
      html: Type.String({ maxLength: 1_000_000 }),
      media_urls: Type.Array(Type.String({ format: 'uri', maxLength: 2000 }), { maxItems: SMS_MAX_MEDIA }),
      mention_staff_ids: Type.Array(Uuid(), { maxItems: 50 }),
    }),
  },
  { additionalProperties: false },
);

const processResponse = Type.Object({
  mode: StringEnum(['send', 'record']),
  channel: Type.String(),
  direction: Type.String(),
  request_id: Nullable(Type.String()),
  message_ids: Type.Array(Type.String()),
  messages: Type.Array(Type.Object({ message_id: Type.String(), conversation_id: Type.String(), client_id: Type.String(), status: Type.String(), created: Type.Boolean() })),
  segments: Nullable(segmentsSchema),
});

const toProcessResponse = (r: ProcessResult) => ({
  mode: r.mode,
  channel: r.channel,
  direction: r.direction,
  request_id: r.requestId,
  message_ids: r.messages.map((m) => m.messageId),
  messages: r.messages.map((m) => ({ message_id: m.messageId, conversation_id: m.conversationId, client_id: m.clientId, status: m.status, created: m.created })),
  segments: r.segments ? { encoding: r.segments.encoding, count: r.segments.segments, units: r.segments.units } : null,
});

export function messagesSendingRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/messages/:business_id/messages/:message_id/retry',
      {
        schema: {
          ...describe('POST', '/messages/:business_id/messages/:message_id/retry'),
          description: 'A real new send of a failed (or undelivered) SMS or email: a new send job, attempts counted. 409 MESSAGE_NOT_FAILED otherwise.',
          security: apiKeySecurity,
          params: Type.Object({ ...businessIdParams.properties, message_id: Uuid() }),
          response: {
            202: retried,
            404: errorResponse('Unknown message'),
            409: errorResponse('MESSAGE_NOT_FAILED, CLIENT_OPTED_OUT or EMAIL_SUPPRESSED'),
            ...authErrors,
          },
        },
      },
      async (req, reply) => {
        const result = await retryMessage(deps, { principal: req.principal, businessId: req.params.business_id, messageId: req.params.message_id });
        return reply.status(202).send(toRetried(result));
      },
    );

    app.post(
      '/messages/:business_id/messages/retry',
      {
        schema: {
          ...describe('POST', '/messages/:business_id/messages/retry'),
          description:
            'Retries failed messages by ids, or by filters (status, channel, since/until, conversation, client, request). Messages that cannot be retried are listed in `skipped` with their code.',
          security: apiKeySecurity,
          params: businessIdParams,
          body: retryManyBody,
          response: {
            202: Type.Object({
              retried: Type.Array(retried),
              skipped: Type.Array(Type.Object({ message_id: Type.String(), code: Type.String(), detail: Type.String() })),
            }),
            ...authErrors,
          },
        },
      },
      async (req, reply) => {
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
      },
    );

    app.post(
      '/messages/:business_id/process',
      {
        schema: {
          ...describe('POST', '/messages/:business_id/process'),
          description: 'One entry for SMS, email, calls and notes, inbound or outbound, sent or recorded: 202 when something is queued for sending, 201 when recorded.',
          security: apiKeySecurity,
          params: businessIdParams,
          body: processBody,
          response: {
            201: processResponse,
            202: processResponse,
            404: errorResponse('Unknown business, client, conversation, location or staff member'),
            409: errorResponse('CLIENT_OPTED_OUT, EMAIL_SUPPRESSED, NO_SMS_SENDER, NO_EMAIL_SENDER, PROVIDER_MESSAGE_ID_TAKEN'),
            ...authErrors,
          },
        },
      },
      async (req, reply) => {
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
      },
    );
  };
}
