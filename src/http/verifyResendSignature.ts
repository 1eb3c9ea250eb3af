// Resend signs webhooks the svix / Standard Webhooks way: svix-signature carries one or more
// "v1,<base64 HMAC-SHA256>" of "<svix-id>.<svix-timestamp>.<raw body>" with the whsec_ secret.
// The HMAC is computed by the standardwebhooks package; the timestamp window is checked here
// against our clock (5 minutes either way), so a captured request cannot be replayed later.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { ForbiddenError } from '../domain/errors.js';

export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export interface SvixSignatureInput {
  /** RESEND_WEBHOOK_SECRET; null: not configured. */
  secret: string | null;
  headers: IncomingHttpHeaders;
  /** The body exactly as received: any re-serialisation would change the signed bytes. */
  rawBody: string | undefined;
  now: Date;
}

export interface VerifiedDelivery {
  /** svix-id: the same for every retry of one event, so it deduplicates deliveries. */
  id: string;
  timestamp: Date;
}

function header(headers: IncomingHttpHeaders, ...names: string[]): string | null {
  for (const name of names) {
    const value = headers[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

/** Throws 403 (ForbiddenError) unless the body was signed with the secret within the last 5 minutes. */
export function verifyResendSignature(input: SvixSignatureInput): VerifiedDelivery {
  if (!input.secret) {
    throw new ForbiddenError('RESEND_WEBHOOK_NOT_CONFIGURED', 'Resend webhooks cannot be verified: RESEND_WEBHOOK_SECRET is not set, so this request was refused.');
  }
  // Resend sends svix-*; the Standard Webhooks names (webhook-*) are accepted too.
  const id = header(input.headers, 'svix-id', 'webhook-id');
  const timestampText = header(input.headers, 'svix-timestamp', 'webhook-timestamp');
  const signatures = header(input.headers, 'svix-signature', 'webhook-signature');
  if (!id || !timestampText || !signatures) {
    throw new ForbiddenError('WEBHOOK_SIGNATURE_MISSING', 'Missing svix-id, svix-timestamp or svix-signature header: only Resend may call this webhook.');
  }
  const seconds = /^\d{1,12}$/.test(timestampText) ? Number(timestampText) : NaN;
  const nowSeconds = Math.floor(input.now.getTime() / 1000);
  if (!Number.isFinite(seconds) || Math.abs(nowSeconds - seconds) > WEBHOOK_TOLERANCE_SECONDS) {
    throw new ForbiddenError(
      'WEBHOOK_TIMESTAMP_OUT_OF_RANGE',
      `svix-timestamp ${JSON.stringify(timestampText)} is more than ${WEBHOOK_TOLERANCE_SECONDS / 60} minutes from this server's time: refused (replayed or delayed request, or a wrong clock).`,
    );
  }
  let expected: Buffer;
  try {
    expected = Buffer.from(new Webhook(input.secret).sign(id, new Date(seconds * 1000), input.rawBody ?? '').split(',')[1] ?? '', 'utf8');
  } catch (err) {
    throw new ForbiddenError('RESEND_WEBHOOK_NOT_CONFIGURED', 'RESEND_WEBHOOK_SECRET is not a valid signing secret (whsec_ followed by base64).', { cause: err });
  }
  const matches = signatures.split(' ').some((versioned) => {
    const [version, signature] = versioned.split(',');
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) {
    throw new ForbiddenError('WEBHOOK_SIGNATURE_INVALID', 'svix-signature does not match this body: check RESEND_WEBHOOK_SECRET (the signing secret of this webhook in Resend).');
  }
  return { id, timestamp: new Date(seconds * 1000) };
}
