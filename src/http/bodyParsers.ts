// Which request bodies Omega reads, once for every route:
//
// - JSON everywhere (`application/json`), read as text first so webhook routes can verify
//   signatures over the exact bytes. Nested at most MAX_JSON_DEPTH deep (a 5,000-deep body
//   overflowed the stack of every later step), no `__proto__`/`constructor` keys, and every string
//   valid Unicode without NUL (PostgreSQL stores neither a lone surrogate nor a NUL: one is altered,
//   the other refused).
// - Form bodies (`application/x-www-form-urlencoded`) only on the Twilio webhook routes
//   (acceptTwilioForms), which Twilio calls with forms and nothing else.
// - Nothing else: any other body answers 415. Browsers send forms and text/plain across sites
//   without a preflight, so a JSON-only API cannot be driven by another site's form.
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received, for webhook signature checks. */
    rawBody?: string;
  }
}

/** Deepest nesting of arrays and objects accepted in a JSON body. */
export const MAX_JSON_DEPTH = 64;

/** A body Omega will not read, with where (JSON-pointer-like path segments) and why. */
export class BodyRejection extends Error {
  constructor(
    readonly reason: 'json_invalid' | 'too_deep' | 'string_unicode',
    message: string,
    readonly path: (string | number)[] = [],
  ) {
    super(message);
    this.name = 'BodyRejection';
  }
}

/**
 * Replaces Fastify's default parsers (JSON, text/plain) by the strict JSON parser. `keepRawBody`:
 * the exact text stays on the request (req.rawBody) for a signature check (the Resend webhook's
 * scope); elsewhere it is let go once parsed.
 */
export function registerJsonBodies(app: FastifyInstance, options: { keepRawBody?: boolean } = {}): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    try {
      if (options.keepRawBody) req.rawBody = body as string;
      done(null, readJsonBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

/** For the Twilio webhook routes' own scope: form bodies only (their JSON parser is removed). */
export function acceptTwilioForms(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (req, body, done) => {
    req.rawBody = body as string;
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
}

function readJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  const depth = nestingDepth(text, MAX_JSON_DEPTH);
  if (depth > MAX_JSON_DEPTH) {
    throw new BodyRejection('too_deep', `JSON nested more than ${MAX_JSON_DEPTH} levels deep; send a flatter body`);
  }
  let value: unknown;
  try {
    value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    throw new BodyRejection('json_invalid', `JSON decode error: ${(err as Error).message}`);
  }
  // Only \u escapes can make a string that is not valid Unicode or holds NUL.
  if (/\\u(?:[dD][89a-fA-F]|0000)/.test(text)) checkStrings(value, []);
  return value;
}

/** The nesting depth of arrays and objects in JSON text, counted until it passes `stopAbove`. */
export function nestingDepth(text: string, stopAbove: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max && (max = depth) > stopAbove) return max;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
    }
  }
  return max;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why this text cannot be stored as it is, or null. */
export function unstorableText(value: string): string | null {
  if (value.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (LONE_SURROGATE.test(value)) return 'is not valid Unicode (a lone UTF-16 surrogate); send whole characters';
  return null;
}

function checkStrings(value: unknown, path: (string | number)[]): void {
  if (typeof value === 'string') {
    const problem = unstorableText(value);
    if (problem) throw new BodyRejection('string_unicode', `Input ${problem}`, path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkStrings(item, [...path, i]));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const problem = unstorableText(key);
      if (problem) throw new BodyRejection('string_unicode', `Key ${problem}`, path);
      checkStrings(item, [...path, key]);
    }
  }
}
