// Shared by the Twilio webhook routes (twilio and voice-calls groups): form bodies, TwiML answers,
// and reading numbers out of signed form fields.
import type { FastifyReply } from 'fastify';
import { param, type TwilioParams } from '../src/http/verifyTwilioSignature.js';
import Type from 'typebox';
import { errorResponse, Ref, ValidationErrorSchema } from './schemas.js';

export const FORM = 'application/x-www-form-urlencoded';

/**
 * Twilio's ids are two letters of kind and 32 hex digits (https://www.twilio.com/docs/glossary/what-is-a-sid):
 * a field named for one holds nothing else, so a call's id can never be taken for a message's.
 */
const SID_PATTERNS: Record<string, string> = {
  MessageSid: '^(SM|MM)[0-9a-fA-F]{32}$',
  SmsSid: '^(SM|MM)[0-9a-fA-F]{32}$',
  CallSid: '^CA[0-9a-fA-F]{32}$',
  ParentCallSid: '^CA[0-9a-fA-F]{32}$',
  RecordingSid: '^RE[0-9a-fA-F]{32}$',
  AccountSid: '^AC[0-9a-fA-F]{32}$',
  MessagingServiceSid: '^MG[0-9a-fA-F]{32}$',
};

/** A Twilio form body: the named fields (Twilio's ids in their shape), plus any other field Twilio sends (all strings). */
export function twilioForm(required: string[], properties: Record<string, string>) {
  // `required` keeps the order given: it is the order of the 422's entries.
  const schema = Type.Object(
    Object.fromEntries(
      Object.entries(properties).map(([name, description]) => [name, SID_PATTERNS[name] ? Type.String({ pattern: SID_PATTERNS[name], description }) : Type.String({ maxLength: 20_000, description })]),
    ),
    { additionalProperties: Type.String() },
  );
  return Type.Unsafe<Record<string, string>>({ ...schema, required });
}

export const twimlResponses = {
  200: Type.Unsafe<string>({ description: 'TwiML (`<Response/>` when there is nothing to do)', content: { 'text/xml': { schema: { type: 'string' } } } }),
  403: errorResponse('Missing or wrong X-Twilio-Signature (TWILIO_SIGNATURE_MISSING, TWILIO_SIGNATURE_INVALID), or TWILIO_AUTH_TOKEN not set (TWILIO_WEBHOOK_NOT_CONFIGURED)'),
  422: Ref(ValidationErrorSchema),
  503: errorResponse('Database unreachable (Twilio retries)'),
};

export const twilioSecurity: { [scheme: string]: string[] }[] = [];

export function sendTwiml(reply: FastifyReply, twiml: string): FastifyReply {
  return reply.status(200).type('text/xml; charset=utf-8').send(twiml);
}

/** A signed field as a whole number (CallDuration, RecordingDuration...), or null. */
export function intParam(params: TwilioParams, name: string): number | null {
  const raw = param(params, name);
  if (raw === null || !/^\d{1,9}$/.test(raw.trim())) return null;
  return Number(raw.trim());
}

/** Every signed field as one string (the first of repeated ones): what events keep as the raw report. */
export function flatParams(params: TwilioParams): Record<string, string> {
  return Object.fromEntries(Object.keys(params).map((k) => [k, param(params, k) ?? '']));
}
