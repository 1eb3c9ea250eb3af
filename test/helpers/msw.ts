// Twilio and Resend as msw 2 serves them: the real SDKs run (twilio over its HTTP client, resend over
// fetch) and their requests are answered here. Tests read what was sent and choose the answers.
// Sending (Twilio's Messages create, Resend's emails), Twilio's message lookup (reconciliation) and
// Resend's received-email content. Onboarding's numbers and domains: onboarding/fakeProvisioning.ts.
import { randomBytes, randomUUID } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createResendEmailChannel } from '../../src/channels/resend/createResendEmailChannel.js';
import { createTwilioSmsChannel } from '../../src/channels/twilio/createTwilioSmsChannel.js';
import type { Channels } from '../../src/channels/types.js';

export const TWILIO_SID = `AC${'a1'.repeat(16)}`;
export const TWILIO_TOKEN = 'test-auth-token';
export const RESEND_KEY = 're_test_key';

export interface TwilioRequest {
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  mediaUrl: string[];
  statusCallback: string | null;
  authorization: string | null;
  /** The sid Twilio's answer gives the message when it is accepted. */
  sid: string;
}

export interface ResendRequest {
  idempotencyKey: string | null;
  from: string;
  to: string[];
  subject: string;
  html: string | null;
  text: string | null;
  tags: { name: string; value: string }[] | null;
  /** The email's extra headers (a reply's In-Reply-To, References), as the SDK sent them; absent when none. */
  headers?: Record<string, string>;
}

/** What a fake provider answers: null = accept; else an HTTP status with a body, or a network failure / a hang. */
export type FakeReply = null | { status: number; body: Record<string, unknown> } | 'network-error' | { hangMs: number };

export interface FakeProviders {
  twilio: TwilioRequest[];
  resend: ResendRequest[];
  /** Decide Twilio's answer per request (default: accept). `n` counts requests to the same number, from 1. */
  twilioReply: (req: TwilioRequest, n: number) => FakeReply;
  resendReply: (req: ResendRequest, n: number) => FakeReply;
  /** GET /Messages/{sid}.json answers (default 404 20404); `twilioLookups` lists the sids asked for. */
  twilioMessage: (sid: string) => FakeReply;
  twilioLookups: string[];
  /** GET /emails/receiving/{id} answers (default 404); `receivedLookups` lists the ids asked for. */
  receivedEmail: (id: string) => FakeReply;
  receivedLookups: string[];
  /** Channels using the real SDKs against these fakes. */
  channels(options?: { timeoutMs?: number }): Channels;
  reset(): void;
  close(): void;
}

export function twilioError(status: number, code: number, message: string): FakeReply {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

export function resendError(statusCode: number, name: string, message: string): FakeReply {
  return { status: statusCode, body: { statusCode, name, message } };
}

const twilioNotFound = twilioError(404, 20404, 'The requested resource was not found');
const resendNotFound = resendError(404, 'not_found', 'Email not found');

/** A Twilio message resource as GET /Messages/{sid}.json returns it. */
export function twilioMessage(sid: string, status: string, errorCode: number | null = null): FakeReply {
  return {
    status: 200,
    body: {
      sid,
      account_sid: TWILIO_SID,
      status,
      error_code: errorCode,
      error_message: errorCode ? 'Unreachable destination handset' : null,
      direction: 'outbound-api',
      from: '+15005550006',
      to: '+14155550100',
      body: 'x',
      num_segments: '1',
      date_created: new Date(Date.now() - 7_200_000).toUTCString(),
      date_updated: new Date().toUTCString(),
      date_sent: new Date(Date.now() - 7_100_000).toUTCString(),
      uri: `/2010-04-01/Accounts/${TWILIO_SID}/Messages/${sid}.json`,
    },
  };
}

async function answer(reply: FakeReply, ok: () => Response): Promise<Response> {
  if (reply === null) return ok();
  if (reply === 'network-error') return Response.error();
  if ('hangMs' in reply) {
    await new Promise((r) => setTimeout(r, reply.hangMs));
    return ok();
  }
  return HttpResponse.json(reply.body, { status: reply.status });
}

export function startFakeProviders(): FakeProviders {
  const twilioCounts = new Map<string, number>();
  const resendCounts = new Map<string, number>();
  const resendIds = new Map<string, string>();
  const fake: FakeProviders = {
    twilio: [],
    resend: [],
    twilioReply: () => null,
    resendReply: () => null,
    twilioMessage: () => twilioNotFound,
    twilioLookups: [],
    receivedEmail: () => resendNotFound,
    receivedLookups: [],
    channels: (options = {}) => ({
      sms: createTwilioSmsChannel({ accountSid: TWILIO_SID, authToken: TWILIO_TOKEN, publicBaseUrl: 'https://omega.test', defaultSender: null, timeoutMs: options.timeoutMs ?? 2_000 }),
      email: createResendEmailChannel({ apiKey: RESEND_KEY, defaultFrom: 'Omega Test <no-reply@omega.test>', timeoutMs: options.timeoutMs ?? 2_000 }),
    }),
    reset() {
      fake.twilio.length = 0;
      fake.resend.length = 0;
      twilioCounts.clear();
      resendCounts.clear();
      resendIds.clear();
      fake.twilioReply = () => null;
      fake.resendReply = () => null;
      fake.twilioLookups.length = 0;
      fake.receivedLookups.length = 0;
      fake.twilioMessage = () => twilioNotFound;
      fake.receivedEmail = () => resendNotFound;
    },
    close: () => server.close(),
  };

  const server = setupServer(
    http.post('https://api.twilio.com/2010-04-01/Accounts/:sid/Messages.json', async ({ request, params }) => {
      const form = new URLSearchParams(await request.text());
      const req: TwilioRequest = {
        to: form.get('To') ?? '',
        from: form.get('From'),
        messagingServiceSid: form.get('MessagingServiceSid'),
        body: form.get('Body') ?? '',
        mediaUrl: form.getAll('MediaUrl'),
        statusCallback: form.get('StatusCallback'),
        authorization: request.headers.get('authorization'),
        sid: `SM${randomBytes(16).toString('hex')}`,
      };
      fake.twilio.push(req);
      const n = (twilioCounts.get(req.to) ?? 0) + 1;
      twilioCounts.set(req.to, n);
      return answer(fake.twilioReply(req, n), () =>
        HttpResponse.json(
          {
            sid: req.sid,
            account_sid: params['sid'],
            to: req.to,
            from: req.from ?? '+15550000000',
            messaging_service_sid: req.messagingServiceSid,
            body: req.body,
            status: 'queued',
            num_segments: '1',
            direction: 'outbound-api',
            date_created: new Date().toUTCString(),
            uri: `/2010-04-01/Accounts/${String(params['sid'])}/Messages/x.json`,
          },
          { status: 201 },
        ),
      );
    }),
    http.get('https://api.twilio.com/2010-04-01/Accounts/:sid/Messages/:messageSid', ({ params }) => {
      const sid = String(params['messageSid']).replace(/\.json$/, '');
      fake.twilioLookups.push(sid);
      return answer(fake.twilioMessage(sid), () => HttpResponse.json({}));
    }),
    http.post('https://api.resend.com/emails', async ({ request }) => {
      const json = (await request.json()) as Record<string, unknown>;
      const req: ResendRequest = {
        idempotencyKey: request.headers.get('idempotency-key'),
        from: String(json['from']),
        to: json['to'] as string[],
        subject: String(json['subject']),
        html: (json['html'] as string | undefined) ?? null,
        text: (json['text'] as string | undefined) ?? null,
        tags: (json['tags'] as ResendRequest['tags'] | undefined) ?? null,
        ...(json['headers'] ? { headers: json['headers'] as Record<string, string> } : {}),
      };
      fake.resend.push(req);
      const n = (resendCounts.get(req.to[0]!) ?? 0) + 1;
      resendCounts.set(req.to[0]!, n);
      return answer(fake.resendReply(req, n), () => {
        // Resend's idempotency: the same key answers the first email's id and sends nothing new.
        const key = req.idempotencyKey;
        const id = (key && resendIds.get(key)) ?? randomUUID();
        if (key) resendIds.set(key, id);
        return HttpResponse.json({ id });
      });
    }),
    http.get('https://api.resend.com/emails/receiving/:id', ({ params }) => {
      const id = String(params['id']);
      fake.receivedLookups.push(id);
      return answer(fake.receivedEmail(id), () => HttpResponse.json({}));
    }),
  );
  server.listen({ onUnhandledRequest: 'bypass' });
  return fake;
}
