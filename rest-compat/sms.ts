// The sms group: queue an SMS, record one, update its delivery status.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Deps } from '../src/domain/deps.js';
import { queueSms, SMS_MAX_LENGTH, SMS_MAX_MEDIA } from '../src/domain/sending/queueSms.js';
import { recordSms } from '../src/domain/sending/recordSms.js';
import { reportDeliveryStatus } from '../src/domain/sending/reportDeliveryStatus.js';
import { describe } from './catalog.js';
import { apiKeySecurity, authErrors, errorResponse, Uuid } from './schemas.js';
import {
  bodyBusinessId,
  businessIdField,
  queueResponse,
  recipientFields,
  recordFields,
  recordResponse,
  sendOptionFields,
  statusBody,
  statusResponse,
  toQueueResponse,
  toRecipients,
  toRecordInput,
  toSendOptions,
  toRecordResponse,
  toStatusInput,
  toStatusResponse,
} from './sendingSchemas.js';

const mediaUrls = () => Type.Optional(Type.Array(Type.String({ format: 'uri', maxLength: 2000 }), { maxItems: SMS_MAX_MEDIA, description: 'MMS: public http(s) URLs of images etc.' }));

const sendBody = Type.Object(
  {
    business_id: businessIdField,
    ...recipientFields,
    body: Type.Optional(
      Type.String({
        maxLength: SMS_MAX_LENGTH,
        description: `Up to ${SMS_MAX_LENGTH} characters; the answer tells how many segments it makes (GSM-7: 160/153, UCS-2: 70/67). Required without template_id; with it, it replaces the saved reply's body (and is a template too).`,
      }),
    ),
    template_id: Type.Optional(
      Uuid({
        description:
          "A saved reply (sms or any) to send: rendered for each recipient with its own client's and location's values (422 naming the recipient and the variable when a value is missing without a fallback). `segments` is then the longest rendered body's.",
      }),
    ),
    media_urls: mediaUrls(),
    ...sendOptionFields,
  },
  { additionalProperties: false },
);

const recordBody = Type.Object(
  { business_id: businessIdField, ...recordFields, body: Type.Optional(Type.String({ maxLength: SMS_MAX_LENGTH })), media_urls: mediaUrls() },
  { additionalProperties: false },
);

const sendErrors = {
  404: errorResponse('Unknown business, client, location or saved reply'),
  409: errorResponse('CLIENT_OPTED_OUT, or NO_SMS_SENDER'),
  ...authErrors,
} as const;

export function smsRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/sms/send',
      {
        schema: {
          ...describe('POST', '/sms/send'),
          description: 'Stores the message(s) and their send jobs in one transaction and answers 202; Twilio is called in the background (retries included).',
          security: apiKeySecurity,
          body: sendBody,
          response: { 202: queueResponse.sms, ...sendErrors },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const result = await queueSms(deps, {
          businessId: bodyBusinessId(req, b.business_id),
          recipients: toRecipients(b),
          body: b.body,
          templateId: b.template_id,
          mediaUrls: b.media_urls,
          ...toSendOptions(req, b),
        });
        return reply.status(202).send(toQueueResponse(result));
      },
    );

    app.post(
      '/sms/record',
      {
        schema: {
          ...describe('POST', '/sms/record'),
          description: 'Stores an SMS sent or received elsewhere; nothing is sent. The same provider_message_id is recorded once.',
          security: apiKeySecurity,
          body: recordBody,
          response: { 201: recordResponse, 404: sendErrors[404], 409: errorResponse('PROVIDER_MESSAGE_ID_TAKEN'), ...authErrors },
        },
      },
      async (req, reply) => {
        const result = await recordSms(deps, { ...toRecordInput(req, req.body), body: req.body.body, mediaUrls: req.body.media_urls });
        return reply.status(201).send(toRecordResponse(result));
      },
    );

    app.post(
      '/sms/status',
      {
        schema: {
          ...describe('POST', '/sms/status'),
          description: 'Statuses only move forward (queued → sending → sent → delivered → read; failed/undelivered/canceled are final). Every report is kept as an event.',
          security: apiKeySecurity,
          body: statusBody,
          response: { ...statusResponse, ...authErrors },
        },
      },
      async (req) => toStatusResponse(await reportDeliveryStatus(deps, toStatusInput(req, req.body, 'sms'))),
    );
  };
}
