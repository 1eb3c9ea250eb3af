// Twilio's and Resend's APIs as msw serves them to the real SDKs, for the paths webhooks meet:
// sending (so messages carry real provider ids), Twilio's message lookup (reconciliation) and
// Resend's received-email content. Tests choose the answers and read what was asked.
import { randomBytes, randomUUID } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createResendEmailChannel } from '../../src/channels/resend/createResendEmailChannel.js';
import { createTwilioSmsChannel } from '../../src/channels/twilio/createTwilioSmsChannel.js';
import type { Channels } from '../../src/channels/types.js';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, RESEND_KEY } from './fixture.js';

export type Reply = { status: number; body: Record<string, unknown> } | 'network-error';

export interface FakeApis {
  sent: { to: string; statusCallback: string | null; sid: string }[];
  emails: { to: string[]; id: string; tags: { name: string; value: string }[] }[];
  /** GET /Messages/{sid}.json answers (default 404). */
  twilioMessage: (sid: string) => Reply;
  lookups: string[];
  /** GET /emails/receiving/{id} answers (default 404). */
  receivedEmail: (id: string) => Reply;
  receivedLookups: string[];
  channels(): Channels;
  close(): void;
}

const answer = (reply: Reply) => (reply === 'network-error' ? Response.error() : HttpResponse.json(reply.body, { status: reply.status }));
const notFound: Reply = { status: 404, body: { code: 20404, message: 'The requested resource was not found', status: 404 } };

/** A Twilio message resource as GET /Messages/{sid}.json returns it. */
export function twilioMessage(sid: string, status: string, errorCode: number | null = null): Reply {
  return {
    status: 200,
    body: {
      sid,
      account_sid: ACCOUNT_SID,
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
      uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}.json`,
    },
  };
}

export function startFakeApis(): FakeApis {
  const fake: FakeApis = {
    sent: [],
    emails: [],
    twilioMessage: () => notFound,
    lookups: [],
    receivedEmail: () => ({ status: 404, body: { statusCode: 404, name: 'not_found', message: 'Email not found' } }),
    receivedLookups: [],
    channels: () => ({
      sms: createTwilioSmsChannel({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, publicBaseUrl: PUBLIC_URL, defaultSender: null, timeoutMs: 2_000 }),
      email: createResendEmailChannel({ apiKey: RESEND_KEY, defaultFrom: 'Serenity Spa <hello@spa.test>', timeoutMs: 2_000 }),
    }),
    close: () => server.close(),
  };
  const server = setupServer(
    http.post('https://api.twilio.com/2010-04-01/Accounts/:account/Messages.json', async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      const sid = `SM${randomBytes(16).toString('hex')}`;
      fake.sent.push({ to: form.get('To') ?? '', statusCallback: form.get('StatusCallback'), sid });
      return HttpResponse.json({ sid, account_sid: ACCOUNT_SID, to: form.get('To'), from: form.get('From'), status: 'queued', body: form.get('Body'), num_segments: '1', direction: 'outbound-api' }, { status: 201 });
    }),
    http.get('https://api.twilio.com/2010-04-01/Accounts/:account/Messages/:sid', ({ params }) => {
      const sid = String(params['sid']).replace(/\.json$/, '');
      fake.lookups.push(sid);
      return answer(fake.twilioMessage(sid));
    }),
    http.post('https://api.resend.com/emails', async ({ request }) => {
      const json = (await request.json()) as { to: string[]; tags?: { name: string; value: string }[] };
      const id = randomUUID();
      fake.emails.push({ to: json.to, id, tags: json.tags ?? [] });
      return HttpResponse.json({ id });
    }),
    http.get('https://api.resend.com/emails/receiving/:id', ({ params }) => {
      const id = String(params['id']);
      fake.receivedLookups.push(id);
      return answer(fake.receivedEmail(id));
    }),
  );
  server.listen({ onUnhandledRequest: 'error' });
  return fake;
}
