// The voice-calls group: access tokens for the browser phone (Twilio Voice SDK), and the TwiML of
// every call (Twilio's voice webhook for our TwiML app and the locations' numbers).
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { renderVoiceTwiml } from '../src/channels/twilio/renderVoiceTwiml.js';
import type { Deps } from '../src/domain/deps.js';
import { handleCallStep } from '../src/domain/voice/handleCallStep.js';
import { issueVoiceToken } from '../src/domain/voice/issueVoiceToken.js';
import { startBrowserCall } from '../src/domain/voice/startBrowserCall.js';
import { startInboundCall } from '../src/domain/voice/startInboundCall.js';
import { acceptTwilioForms } from '../src/http/bodyParsers.js';
import { param, requireTwilioSignature } from '../src/http/verifyTwilioSignature.js';
import { describe } from './catalog.js';
import { apiKeySecurity, authErrors, errorResponse, IsoDateTime, Nullable, optional, StringEnum } from './schemas.js';
import { flatParams, FORM, intParam, sendTwiml, twilioForm, twilioSecurity, twimlResponses } from './twilioSchemas.js';

const tokenResponse = Type.Object({
  token: Type.String({ description: 'Twilio access token (JWT) for the Voice SDK: `new Device(token)`' }),
  identity: Type.String({ description: 'staff_<id without hyphens>: inbound calls ring this identity' }),
  business_id: Type.String(),
  staff_id: Type.String(),
  expires_at: IsoDateTime(),
  ttl_seconds: Type.Integer(),
  outgoing_application_sid: Type.String({ description: 'The TwiML app outgoing calls go through' }),
  incoming_allowed: Type.Boolean(),
  sandbox: Type.Boolean({ description: 'true: signed with placeholder values; Twilio refuses it (no TWILIO_API_KEY_SID)' }),
  detail: Nullable(Type.String()),
});

const twimlBody = twilioForm(['CallSid'], {
  CallSid: 'The call Twilio asks about',
  From: "client:staff_<hex> for a call from the browser, else the caller's number",
  To: 'Browser calls: the number (or client id) to call. Inbound calls: the location number called',
  client_id: 'Browser calls: the client to call (optional)',
  location_id: 'Browser calls: whose number to show (optional)',
  DialCallStatus: 'step=dial-ended: how the <Dial> ended',
  DialCallDuration: 'step=dial-ended',
  RecordingUrl: 'step=voicemail',
  RecordingSid: 'step=voicemail',
  RecordingDuration: 'step=voicemail',
});

export function voiceCallsRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/voice-calls/token',
      {
        schema: {
          ...describe('GET', '/voice-calls/token'),
          description:
            "A Twilio Voice access token for a staff member's browser (VoiceGrant: outgoing through our TwiML app, incoming allowed). A session gets its own; an API key names the staff member.",
          security: apiKeySecurity,
          querystring: Type.Object(
            optional({
              business_id: Type.String({ minLength: 1, maxLength: 128, description: "Default: the caller's business (required with a service key)" }),
              staff_id: Type.String({ minLength: 1, maxLength: 128, description: "Omega id or external id. Default: the session's staff member" }),
              ttl_seconds: Type.Integer({ minimum: 60, description: 'At most OMEGA_VOICE_TOKEN_TTL_SECONDS (the default)' }),
            }),
            { additionalProperties: false },
          ),
          response: { 200: tokenResponse, 404: errorResponse('STAFF_NOT_FOUND (also for staff of another business)'), 409: errorResponse('STAFF_INACTIVE'), ...authErrors },
        },
      },
      async (req) => {
        const t = await issueVoiceToken(deps, { principal: req.principal, businessId: req.query.business_id, staffId: req.query.staff_id, ttlSeconds: req.query.ttl_seconds });
        return {
          token: t.token,
          identity: t.identity,
          business_id: t.businessId,
          staff_id: t.staffId,
          expires_at: t.expiresAt.toISOString(),
          ttl_seconds: t.ttlSeconds,
          outgoing_application_sid: t.outgoingApplicationSid,
          incoming_allowed: t.incomingAllowed,
          sandbox: t.sandbox,
          detail: t.note,
        };
      },
    );

    // Twilio calls this route with form bodies, and only this route of the group takes them.
    await app.register(async (forms) => {
      acceptTwilioForms(forms);
      forms.withTypeProvider<TypeBoxTypeProvider>().post(
        '/voice-calls/twiml',
        {
          config: { auth: 'signature' },
          preValidation: requireTwilioSignature(deps),
          schema: {
            ...describe('POST', '/voice-calls/twiml'),
            description:
              "Twilio's voice webhook (TwiML app and location numbers). A call from the browser (From client:staff_…) dials the client with the location's number as caller id; a call to a location's number rings the assigned staff member (else the location's staff) in the browser, then voicemail. Each call is a VoiceCall and a voice message in the conversation.",
            security: twilioSecurity,
            consumes: [FORM],
            querystring: Type.Object(
              optional({ step: StringEnum(['dial-ended', 'voicemail'], { description: 'Set by our own TwiML: the <Dial> or <Record> action' }), call_id: Type.String({ maxLength: 64 }) }),
            ),
            body: twimlBody,
            response: twimlResponses,
          },
        },
        async (req, reply) => {
          const p = req.twilioParams!;
          const callSid = param(p, 'CallSid')!;
          const payload = flatParams(p);
          if (req.query.step) {
            const result = await handleCallStep(deps, {
              step: req.query.step,
              callId: req.query.call_id ?? null,
              callSid,
              dialCallStatus: param(p, 'DialCallStatus'),
              dialCallDuration: intParam(p, 'DialCallDuration'),
              recordingSid: param(p, 'RecordingSid'),
              recordingUrl: param(p, 'RecordingUrl'),
              recordingDuration: intParam(p, 'RecordingDuration'),
              payload,
            });
            req.log.info({ callSid, step: req.query.step, voiceCallId: result.voiceCallId, plan: result.plan.kind }, 'call step');
            return sendTwiml(reply, renderVoiceTwiml(result.plan));
          }
          const from = param(p, 'From') ?? param(p, 'Caller') ?? '';
          if (/^client:/i.test(from)) {
            const result = await startBrowserCall(deps, {
              callSid,
              from,
              to: param(p, 'To'),
              clientId: param(p, 'client_id') ?? param(p, 'ClientId'),
              locationId: param(p, 'location_id') ?? param(p, 'LocationId'),
              payload,
            });
            req.log[result.refused ? 'warn' : 'info']({ callSid, voiceCallId: result.call?.id ?? null, refused: result.refused }, 'browser call');
            return sendTwiml(reply, renderVoiceTwiml(result.plan));
          }
          const result = await startInboundCall(deps, { callSid, from, to: param(p, 'To') ?? param(p, 'Called') ?? '', payload });
          if (result.unrouted) req.log.warn({ callSid, to: param(p, 'To') }, 'inbound call to a number no location has');
          else req.log.info({ callSid, voiceCallId: result.call?.id ?? null, plan: result.plan.kind }, 'inbound call');
          return sendTwiml(reply, renderVoiceTwiml(result.plan));
        },
      );
    });
  };
}
