// Twilio webhooks authenticate by signature, not by API key: X-Twilio-Signature is an HMAC (auth
// token as key) of the PUBLIC URL Twilio called (PUBLIC_BASE_URL + path + query) followed by every
// form field, sorted. Checked before the body is validated or anything is stored; a missing or
// wrong signature answers 403.
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';
import twilio from 'twilio';
import type { Deps } from '../domain/deps.js';
import { ForbiddenError } from '../domain/errors.js';

export type TwilioParams = Record<string, string | string[]>;

export interface TwilioSignatureInput {
  /** TWILIO_AUTH_TOKEN; null: not configured, so nothing can be verified. */
  authToken: string | null;
  publicBaseUrl: string;
  /** Path and query exactly as requested (Fastify's req.url). */
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string | undefined;
}

const SUPPORTED = new Set(['HMAC_SHA1', 'HMAC_SHA256']);

/** Every form field of the raw body; a field sent more than once keeps all its values (Twilio signs them all). */
export function formParams(rawBody: string | undefined): TwilioParams {
  const params: TwilioParams = {};
  for (const [key, value] of new URLSearchParams(rawBody ?? '')) {
    const seen = params[key];
    params[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return params;
}

/** Throws 403 (ForbiddenError) unless Twilio signed this exact request; answers the signed form fields. */
export function verifyTwilioSignature(input: TwilioSignatureInput): TwilioParams {
  if (!input.authToken) {
    throw new ForbiddenError(
      'TWILIO_WEBHOOK_NOT_CONFIGURED',
      'Twilio webhooks cannot be verified: TWILIO_AUTH_TOKEN is not set, so this request was refused. Set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.',
    );
  }
  const signature = input.headers['x-twilio-signature'];
  if (typeof signature !== 'string' || signature === '') {
    throw new ForbiddenError('TWILIO_SIGNATURE_MISSING', 'Missing X-Twilio-Signature header: only Twilio may call this webhook.');
  }
  const settings = input.headers['x-twilio-webhooks-signature-settings'];
  const algorithm = twilio.getSignatureAlgorithm(typeof settings === 'string' ? settings : undefined);
  if (!SUPPORTED.has(algorithm.toUpperCase())) {
    throw new ForbiddenError('TWILIO_SIGNATURE_INVALID', `Unsupported Twilio signature algorithm ${JSON.stringify(algorithm)}.`);
  }
  // Twilio signs the URL and every form field. (JSON bodies, which Twilio signs through a
  // bodySHA256 query parameter, never reach these routes: they take form bodies only.)
  const url = `${input.publicBaseUrl}${input.url}`;
  const params = formParams(input.rawBody);
  const valid = twilio.validateRequest(input.authToken, signature, url, params, algorithm);
  if (!valid) {
    throw new ForbiddenError(
      'TWILIO_SIGNATURE_INVALID',
      `X-Twilio-Signature does not match this request: check that PUBLIC_BASE_URL (${input.publicBaseUrl}) is the URL Twilio calls and TWILIO_AUTH_TOKEN is the account's auth token.`,
    );
  }
  return params;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The form fields Twilio signed (set by requireTwilioSignature). */
    twilioParams?: TwilioParams;
  }
}

/** A preValidation hook: runs before the body schema, so an unsigned request is 403 whatever its body. */
export function requireTwilioSignature(deps: Deps) {
  return async (req: FastifyRequest): Promise<void> => {
    req.twilioParams = verifyTwilioSignature({
      authToken: deps.webhooks?.twilioAuthToken ?? null,
      publicBaseUrl: deps.webhooks?.publicBaseUrl ?? '',
      url: req.url,
      headers: req.headers,
      rawBody: req.rawBody,
    });
  };
}

/** One value of a signed field (the first when it was sent more than once). */
export function param(params: TwilioParams, name: string): string | null {
  const value = params[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}
