// The twilio group: Twilio's webhooks for inbound SMS, SMS delivery reports and call status. They
// authenticate by X-Twilio-Signature (requireTwilioSignature, before the body is validated) and
// answer TwiML.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { emptyTwiml } from '../src/channels/twilio/renderVoiceTwiml.js';
import type { Deps } from '../src/domain/deps.js';
import { updateVoiceCallStatus } from '../src/domain/voice/updateVoiceCallStatus.js';
import { applyTwilioSmsStatus } from '../src/domain/webhooks/applyTwilioSmsStatus.js';
import { receiveInboundSms } from '../src/domain/webhooks/receiveInboundSms.js';
import { acceptTwilioForms } from '../src/http/bodyParsers.js';
import { param, requireTwilioSignature, type TwilioParams } from '../src/http/verifyTwilioSignature.js';
import { describe } from './catalog.js';
import { flatParams, FORM, intParam, sendTwiml, twilioForm, twilioSecurity, twimlResponses } from './twilioSchemas.js';

const incomingBody = twilioForm(['MessageSid', 'From', 'To'], {
  MessageSid: 'SM… (MM… for MMS): the message is stored once per sid',
  From: 'The sender (E.164)',
  To: "The receiving number: a location's number, or a number of a messaging service pool",
  Body: 'The text (may be empty for MMS)',
  MessagingServiceSid: 'Routes pooled numbers to their location',
  NumMedia: 'Number of media files (MediaUrl0…, MediaContentType0…)',
  OptOutType: 'STOP, START or HELP (Advanced Opt-Out)',
});

const statusBody = twilioForm(['MessageSid', 'MessageStatus'], {
  MessageSid: "Twilio's id of the message",
  MessageStatus: 'queued, sending, sent, delivered, undelivered, failed, read, canceled…',
  ErrorCode: 'Twilio error code of a failure (21610: the recipient opted out)',
  From: 'The sender Twilio used',
});

const voiceStatusBody = twilioForm(['CallSid'], {
  CallSid: 'The call leg reporting',
  ParentCallSid: 'The call a dialled leg belongs to',
  CallStatus: 'initiated, ringing, in-progress, completed, busy, no-answer, failed, canceled',
  CallDuration: 'Seconds, on completed',
  RecordingSid: 'Recording status callbacks',
  RecordingUrl: 'Recording status callbacks',
  RecordingStatus: 'Recording status callbacks',
  RecordingDuration: 'Recording status callbacks',
});

/** MediaUrl0…MediaUrl{NumMedia-1} with their content types. */
function mediaOf(params: TwilioParams): { url: string; contentType: string | null }[] {
  const count = Math.min(intParam(params, 'NumMedia') ?? 0, 10);
  const media: { url: string; contentType: string | null }[] = [];
  for (let i = 0; i < count; i++) {
    const url = param(params, `MediaUrl${i}`);
    if (url) media.push({ url, contentType: param(params, `MediaContentType${i}`) });
  }
  return media;
}

const DETAILS = ['NumSegments', 'FromCity', 'FromState', 'FromZip', 'FromCountry', 'ToCity', 'ToState', 'ToCountry', 'AccountSid', 'ApiVersion'];

export function twilioRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    acceptTwilioForms(app); // Twilio calls these routes with form bodies, and nothing else
    const signed = requireTwilioSignature(deps);

    app.post(
      '/twilio/sms/incoming',
      {
        config: { auth: 'signature' },
        preValidation: signed,
        schema: {
          ...describe('POST', '/twilio/sms/incoming'),
          description:
            "Twilio's inbound SMS/MMS webhook. Routed by the receiving number (then MessagingServiceSid), stored once per MessageSid, published to the inbox; STOP/START/HELP keywords change consent. Answers empty TwiML.",
          security: twilioSecurity,
          consumes: [FORM],
          body: incomingBody,
          response: twimlResponses,
        },
      },
      async (req, reply) => {
        const p = req.twilioParams!;
        const result = await receiveInboundSms(deps, {
          messageSid: param(p, 'MessageSid')!,
          from: param(p, 'From')!,
          to: param(p, 'To')!,
          body: param(p, 'Body'),
          messagingServiceSid: param(p, 'MessagingServiceSid'),
          media: mediaOf(p),
          optOutType: param(p, 'OptOutType'),
          details: Object.fromEntries(DETAILS.map((k) => [k, param(p, k)]).filter((e): e is [string, string] => e[1] !== null)),
          payload: flatParams(p),
        });
        if (result.outcome === 'unrouted')
          req.log.warn({ to: param(p, 'To'), messagingServiceSid: param(p, 'MessagingServiceSid'), messageSid: param(p, 'MessageSid') }, 'inbound SMS for a number no location has: not stored');
        else req.log.info({ ...result }, `inbound SMS ${result.outcome}`);
        return sendTwiml(reply, emptyTwiml());
      },
    );

    app.post(
      '/twilio/sms/status',
      {
        config: { auth: 'signature' },
        preValidation: signed,
        schema: {
          ...describe('POST', '/twilio/sms/status'),
          description: "Twilio's status callback of an SMS Omega sent: applied through the forward-only status machine; a repeated report (same MessageSid and status) or a late one changes nothing.",
          security: twilioSecurity,
          consumes: [FORM],
          querystring: Type.Object({
            message_id: Type.Optional(Type.String({ maxLength: 64, description: "Omega's id, put in the callback URL by the sender" })),
            business_id: Type.Optional(Type.String({ maxLength: 200, description: "The message's business, put in the callback URL by the sender" })),
          }),
          body: statusBody,
          response: twimlResponses,
        },
      },
      async (req, reply) => {
        const p = req.twilioParams!;
        const result = await applyTwilioSmsStatus(deps, {
          messageSid: param(p, 'MessageSid')!,
          status: param(p, 'MessageStatus')!,
          errorCode: param(p, 'ErrorCode'),
          messageId: req.query.message_id ?? null,
          businessId: req.query.business_id ?? null,
          from: param(p, 'From'),
          payload: flatParams(p),
        });
        const level = result.outcome === 'unknown_message' || result.outcome === 'unknown_status' || result.outcome === 'not_outbound' ? 'warn' : 'info';
        req.log[level]({ ...result, messageSid: param(p, 'MessageSid'), status: param(p, 'MessageStatus') }, `SMS status callback ${result.outcome}`);
        return sendTwiml(reply, emptyTwiml());
      },
    );

    app.post(
      '/twilio/voice/status',
      {
        config: { auth: 'signature' },
        preValidation: signed,
        schema: {
          ...describe('POST', '/twilio/voice/status'),
          description:
            'Call and recording status callbacks: ringing, in-progress, completed, busy, no-answer, failed, canceled, with duration and recording URL. Forward-only, deduplicated by CallSid and status, published to the inbox.',
          security: twilioSecurity,
          consumes: [FORM],
          querystring: Type.Object({ call_id: Type.Optional(Type.String({ maxLength: 64, description: "Omega's call id, put in the callback URL by the call's TwiML" })) }),
          body: voiceStatusBody,
          response: twimlResponses,
        },
      },
      async (req, reply) => {
        const p = req.twilioParams!;
        const result = await updateVoiceCallStatus(deps, {
          callId: req.query.call_id ?? null,
          callSid: param(p, 'CallSid')!,
          parentCallSid: param(p, 'ParentCallSid'),
          callStatus: param(p, 'CallStatus'),
          to: param(p, 'To'),
          callDuration: intParam(p, 'CallDuration'),
          recordingSid: param(p, 'RecordingSid'),
          recordingUrl: param(p, 'RecordingUrl'),
          recordingStatus: param(p, 'RecordingStatus'),
          recordingDuration: intParam(p, 'RecordingDuration'),
          payload: flatParams(p),
        });
        req.log[result.outcome === 'unknown_call' || result.outcome === 'unknown_status' ? 'warn' : 'info']({ ...result, callSid: param(p, 'CallSid') }, `voice status callback ${result.outcome}`);
        return sendTwiml(reply, emptyTwiml());
      },
    );
  };
}
