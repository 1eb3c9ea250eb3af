// The email group: queue an email, record one, update its delivery status. (Provider webhooks,
// POST /email/webhooks/{provider}, are registered separately.)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Deps } from '../src/domain/deps.js';
import { EMAIL_HTML_MAX, EMAIL_SUBJECT_MAX, EMAIL_TEXT_MAX, queueEmail } from '../src/domain/sending/queueEmail.js';
import { recordEmail } from '../src/domain/sending/recordEmail.js';
import { reportDeliveryStatus } from '../src/domain/sending/reportDeliveryStatus.js';
import { describe } from './catalog.js';
import { apiKeySecurity, authErrors, errorResponse, optional, Uuid } from './schemas.js';
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
  toRecordResponse,
  toSendOptions,
  toStatusInput,
  toStatusResponse,
} from './sendingSchemas.js';

const subject = () => Type.String({ maxLength: EMAIL_SUBJECT_MAX });
const content = optional({
  html: Type.String({ maxLength: EMAIL_HTML_MAX }),
  text: Type.String({ maxLength: EMAIL_TEXT_MAX, description: 'Plain-text body (give html, text or both).' }),
});

const sendBody = Type.Object(
  {
    business_id: businessIdField,
    ...recipientFields,
    subject: Type.Optional(
      Type.String({
        maxLength: EMAIL_SUBJECT_MAX,
        description: 'Omitted: the saved reply\'s subject, else a reply in the recipient\'s conversation: "Re: <its last subject>" (422 when it has no earlier email).',
      }),
    ),
    ...content,
    template_id: Type.Optional(
      Uuid({
        description: 'A saved reply (email or any) to send, rendered for each recipient; `text` replaces its body (a template too); `html` is refused with it (a saved reply renders plain text).',
      }),
    ),
    ...sendOptionFields,
  },
  { additionalProperties: false },
);

const recordBody = Type.Object({ business_id: businessIdField, ...recordFields, subject: Type.Optional(subject()), ...content }, { additionalProperties: false });

const sendErrors = {
  404: errorResponse('Unknown business, client, location or saved reply'),
  409: errorResponse('EMAIL_SUPPRESSED, or NO_EMAIL_SENDER'),
  ...authErrors,
} as const;

export function emailRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/email/send',
      {
        schema: {
          ...describe('POST', '/email/send'),
          description: 'Stores the email(s) and their send jobs in one transaction and answers 202; Resend is called in the background with the idempotency key email/<message_id>.',
          security: apiKeySecurity,
          body: sendBody,
          response: { 202: queueResponse.email, ...sendErrors },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const result = await queueEmail(deps, {
          businessId: bodyBusinessId(req, b.business_id),
          recipients: toRecipients(b),
          subject: b.subject,
          html: b.html,
          text: b.text,
          templateId: b.template_id,
          ...toSendOptions(req, b),
        });
        return reply.status(202).send(toQueueResponse(result));
      },
    );

    app.post(
      '/email/record',
      {
        schema: {
          ...describe('POST', '/email/record'),
          description: 'Stores an email sent or received elsewhere; nothing is sent. The same provider_message_id is recorded once.',
          security: apiKeySecurity,
          body: recordBody,
          response: { 201: recordResponse, 404: sendErrors[404], 409: errorResponse('PROVIDER_MESSAGE_ID_TAKEN'), ...authErrors },
        },
      },
      async (req, reply) => {
        const { subject, html, text } = req.body;
        const result = await recordEmail(deps, { ...toRecordInput(req, req.body), subject, html, text });
        return reply.status(201).send(toRecordResponse(result));
      },
    );

    app.post(
      '/email/status',
      {
        schema: {
          ...describe('POST', '/email/status'),
          description: 'Statuses only move forward; bounced also suppresses the address, complained suppresses it without a status change. Every report is kept as an event.',
          security: apiKeySecurity,
          body: statusBody,
          response: { ...statusResponse, ...authErrors },
        },
      },
      async (req) => toStatusResponse(await reportDeliveryStatus(deps, toStatusInput(req, req.body, 'email'))),
    );
  };
}
