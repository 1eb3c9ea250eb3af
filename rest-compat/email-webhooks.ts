// "Handle external email provider webhooks" (email group): POST /email/webhooks/{provider}. Only
// `resend` exists; its deliveries are verified (svix signature over the raw body, 5-minute window)
// before anything is read, then applied by the domain.
import { registerJsonBodies } from '../src/http/bodyParsers.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../src/domain/deps.js';
import { NotFoundError } from '../src/domain/errors.js';
import { applyResendEvent, type ResendEventResult } from '../src/domain/webhooks/applyResendEvent.js';
import { verifyResendSignature, type VerifiedDelivery } from '../src/http/verifyResendSignature.js';
import { describe } from './catalog.js';
import { AnyObject, errorResponse, Nullable, Ref, ValidationErrorSchema } from './schemas.js';

const PROVIDERS = ['resend'] as const;

declare module 'fastify' {
  interface FastifyRequest {
    webhookDelivery?: VerifiedDelivery;
  }
}

const body = Type.Object(
  {
    type: Type.String({
      maxLength: 100,
      description: 'email.sent, email.delivered, email.delivery_delayed, email.bounced, email.complained, email.opened, email.clicked, email.failed, email.suppressed, email.received…',
    }),
    created_at: Type.Optional(Type.String({ maxLength: 64 })),
    data: AnyObject({ additionalProperties: true }),
  },
  { additionalProperties: true },
);

const response = Type.Object({
  received: Type.Boolean(),
  type: Type.String(),
  outcome: Type.String({ description: 'applied, unchanged, duplicate (seen before: nothing recorded), stored (inbound email), ignored, unrouted…' }),
  message_id: Nullable(Type.String()),
  status: Nullable(Type.String()),
  consent: Nullable(Type.String({ description: 'email_suppressed when a hard bounce, complaint or suppression applied' })),
  detail: Nullable(Type.String()),
});

function toResponse(type: string, r: ResendEventResult) {
  const messageId = 'messageId' in r ? r.messageId : null;
  return {
    received: true,
    type,
    outcome: r.outcome,
    message_id: messageId,
    status: 'status' in r ? r.status : null,
    consent: 'consent' in r ? r.consent : null,
    detail: 'reason' in r ? r.reason : r.outcome === 'unrouted' ? 'No location has an address this email was sent to' : r.outcome === 'no_sender' ? 'The email has no sender address' : null,
  };
}

export function emailWebhooksRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    registerJsonBodies(app, { keepRawBody: true }); // the svix signature covers the exact bytes
    app.post(
      '/email/webhooks/:provider',
      {
        config: { auth: 'signature' },
        // Unknown provider 404, then the signature (403), both before the body is validated or read.
        preValidation: async (req: FastifyRequest<{ Params: { provider: string } }>) => {
          if (!(PROVIDERS as readonly string[]).includes(req.params.provider)) {
            throw new NotFoundError('WEBHOOK_PROVIDER_NOT_FOUND', `No email provider ${JSON.stringify(req.params.provider)}: webhooks are accepted for ${PROVIDERS.join(', ')}.`);
          }
          req.webhookDelivery = verifyResendSignature({ secret: deps.webhooks?.resendWebhookSecret ?? null, headers: req.headers, rawBody: req.rawBody, now: deps.clock.now() });
        },
        schema: {
          ...describe('POST', '/email/webhooks/:provider'),
          description:
            'Resend webhooks (svix-signed: svix-id, svix-timestamp, svix-signature over the raw body, 5-minute window). Delivery events move the email forward only; a hard bounce or complaint suppresses the address; opens and clicks are recorded; email.received becomes an inbound message. A repeated svix-id records nothing.',
          security: [],
          params: Type.Object({ provider: Type.String({ maxLength: 64, description: 'resend' }) }),
          body,
          response: {
            200: response,
            403: errorResponse('WEBHOOK_SIGNATURE_MISSING, WEBHOOK_SIGNATURE_INVALID, WEBHOOK_TIMESTAMP_OUT_OF_RANGE or RESEND_WEBHOOK_NOT_CONFIGURED'),
            404: errorResponse('WEBHOOK_PROVIDER_NOT_FOUND; or EMAIL_NOT_FOUND for a fresh event about an email not stored yet (Resend retries)'),
            422: Ref(ValidationErrorSchema),
            503: errorResponse("Database unreachable, or the received email's content could not be fetched (Resend retries)"),
          },
        },
      },
      async (req) => {
        const result = await applyResendEvent(deps, { deliveryId: req.webhookDelivery!.id, type: req.body.type, createdAt: req.body.created_at ?? null, data: req.body.data });
        req.log.info({ svixId: req.webhookDelivery!.id, type: req.body.type, ...result }, `resend webhook ${result.outcome}`);
        return toResponse(req.body.type, result);
      },
    );
  };
}
