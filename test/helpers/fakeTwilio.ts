// One fake Twilio for every test and benchmark: a real HTTP server on 127.0.0.1, so the real SDK in
// this process or in any other (an `npm start` / `npm run worker` given OMEGA_TWILIO_API_BASE_URL)
// can reach it. It keeps an account's state and answers as Twilio's REST API does for what Omega
// uses:
// - Messages: create (POST .../Messages.json), fetch (GET .../Messages/{sid}.json) and list
//   (GET .../Messages.json) with Twilio's filters To, From, DateSent, DateSent< and DateSent> (by
//   UTC day of date_sent, which is null until the message is sent) and Twilio's paging shape;
//   (fakeTwilioMessages.ts);
// - numbers and messaging services as provisioning uses them (fakeTwilioNumbers.ts);
// - status callbacks signed with the account's auth token, as Twilio signs them.
// Answers are configurable (latency, errors, hangs, a message created whose answer never comes, any
// request answered by the test) and everything it received is recorded. `fakeTwilioProcess.ts`
// runs it as a process of its own.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import twilio from 'twilio';
import { listMessages, messageResource, twilioErrorBody, type FakeMessage } from './fakeTwilioMessages.js';
import { createFakeNumbers, type FakeNumbers } from './fakeTwilioNumbers.js';

/** Credentials the fake accepts by default: they pass Omega's config checks (AC + 32 hex digits). */
export const FAKE_TWILIO_ACCOUNT_SID = `AC${'fa4e'.repeat(8)}`;
export const FAKE_TWILIO_AUTH_TOKEN = 'fake-twilio-auth-token';
/** The number a messaging service sends from when the test gave it none (Twilio picks it). */
export const FAKE_SERVICE_NUMBER = '+15005550006';

export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
  authorization: string | null;
  at: Date;
}

/** What the fake does with one Messages create. */
export type CreateAnswer =
  /** Creates the message and answers 201 after the latency. */
  | 'accept'
  /** Creates the message (it is listed and counted) and never answers: a lost answer, a crash. */
  | 'accept-and-hang'
  /** Creates nothing and never answers. */
  | 'hang'
  /** Creates nothing and drops the connection. */
  | 'reset'
  /** Creates nothing and answers Twilio's error. */
  | { status: number; code: number; message: string };

export interface CreateRequest {
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  mediaUrls: string[];
  statusCallback: string | null;
}

export interface FakeTwilioOptions {
  accountSid?: string;
  authToken?: string;
  /** 0 (default): any free port. */
  port?: number;
  /** Milliseconds before every answer (default 0). */
  latencyMs?: number;
  /** Milliseconds a created message stays queued before it is sent (default 0: sent at once). */
  sendAfterMs?: number;
  /** Milliseconds after being sent that a message is delivered (default: never, it stays `sent`). */
  deliverAfterMs?: number | null;
  /** POST a signed status callback to the message's StatusCallback on each change (default false). */
  postStatusCallbacks?: boolean;
  /** Keep every request in `received` (default true; benchmarks of many sends turn it off). */
  recordRequests?: boolean;
}

export interface FakeTwilio {
  url: string;
  port: number;
  accountSid: string;
  authToken: string;
  /** The account's phone numbers, numbers on sale and messaging services (provisioning). */
  numbers: FakeNumbers;
  /** Every message of the account, in creation order (those Omega sent and those added by tests). */
  messages: FakeMessage[];
  received: ReceivedRequest[];
  latencyMs: number;
  /** Decides each create (default: accept). `n` counts creates to the same `To`, from 1. */
  answer: (request: CreateRequest, n: number) => CreateAnswer;
  /** Answers any request before the fake does (e.g. a 500 to a list), or null to let it answer (default). */
  intercept: (request: ReceivedRequest) => Reply | null;
  /** Responses held by 'accept-and-hang' and 'hang'. */
  held(): number;
  /** Drops every held connection (their messages, if created, stay). */
  dropHeld(): void;
  /** Messages created for one Omega message (read from their StatusCallback). */
  createsFor(omegaMessageId: string): FakeMessage[];
  /** Counts at the fake: distinct Omega messages sent, and creates beyond the first of each. */
  stats(): { creates: number; sentMessages: number; duplicates: number };
  /** Adds a message to the account as if it had been sent (or received) earlier, outside Omega. */
  addMessage(message: Partial<FakeMessage> & Pick<FakeMessage, 'to' | 'body'>): FakeMessage;
  /** Moves a message on (sent sets date_sent) and posts its callback when postStatusCallbacks is on. */
  setStatus(sid: string, status: string, errorCode?: number | null): FakeMessage;
  /** The signed status callback Twilio would send now for a message: where, what, and its X-Twilio-Signature. */
  statusCallback(sid: string): { url: string; params: Record<string, string>; signature: string };
  /** POSTs that callback (to `postTo` instead of the signed URL when given); resolves with the HTTP status. */
  postStatusCallback(sid: string, postTo?: string): Promise<number>;
  reset(): void;
  close(): Promise<void>;
}

const API = '/2010-04-01';

/** An answer: status and JSON body, or no answer at all (held, or the connection dropped). */
export type Reply = { status: number; body: unknown; onAnswered?: () => void } | 'hang' | 'reset';

export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? FAKE_TWILIO_ACCOUNT_SID;
  const authToken = options.authToken ?? FAKE_TWILIO_AUTH_TOKEN;
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const accountPath = `${API}/Accounts/${accountSid}`;
  const bySid = new Map<string, FakeMessage>();
  const createsTo = new Map<string, number>();
  const held = new Set<http.ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const numbers = createFakeNumbers(accountSid);
  const fake: FakeTwilio = {
    url: '',
    port: 0,
    accountSid,
    authToken,
    messages: [],
    received: [],
    latencyMs: options.latencyMs ?? 0,
    answer: () => 'accept',
    intercept: () => null,
    numbers,
    held: () => held.size,
    dropHeld() {
      for (const res of held) res.destroy();
      held.clear();
    },
    createsFor: (id) => fake.messages.filter((m) => m.omegaMessageId === id),
    stats() {
      const perMessage = new Map<string, number>();
      let creates = 0;
      for (const m of fake.messages) {
        if (m.direction !== 'outbound-api' || !m.omegaMessageId) continue;
        creates++;
        perMessage.set(m.omegaMessageId, (perMessage.get(m.omegaMessageId) ?? 0) + 1);
      }
      return { creates, sentMessages: perMessage.size, duplicates: creates - perMessage.size };
    },
    addMessage(partial) {
      const now = new Date();
      const m: FakeMessage = {
        sid: `SM${randomBytes(16).toString('hex')}`,
        from: null,
        messagingServiceSid: null,
        mediaUrls: [],
        direction: 'outbound-api',
        status: 'delivered',
        errorCode: null,
        dateCreated: now,
        dateUpdated: now,
        dateSent: partial.dateCreated ?? now,
        statusCallback: null,
        omegaMessageId: null,
        answered: false,
        ...partial,
        seq: ++seq,
      };
      fake.messages.push(m);
      bySid.set(m.sid, m);
      return m;
    },
    setStatus(sid, status, errorCode = null) {
      const m = bySid.get(sid);
      if (!m) throw new Error(`fake Twilio has no message ${sid}`);
      m.status = status;
      m.errorCode = errorCode;
      m.dateUpdated = new Date();
      if (status === 'sent' && !m.dateSent) m.dateSent = m.dateUpdated;
      if (options.postStatusCallbacks && m.statusCallback) void fake.postStatusCallback(sid).catch(() => undefined);
      return m;
    },
    statusCallback(sid) {
      const m = bySid.get(sid);
      if (!m?.statusCallback) throw new Error(`fake Twilio message ${sid} has no StatusCallback`);
      const params: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        From: m.from ?? '',
        MessageSid: m.sid,
        MessageStatus: m.status,
        SmsSid: m.sid,
        SmsStatus: m.status,
        To: m.to,
        ...(m.messagingServiceSid ? { MessagingServiceSid: m.messagingServiceSid } : {}),
        ...(m.errorCode !== null ? { ErrorCode: String(m.errorCode) } : {}),
      };
      return { url: m.statusCallback, params, signature: twilio.getExpectedTwilioSignature(authToken, m.statusCallback, params) };
    },
    async postStatusCallback(sid, postTo) {
      const { url, params, signature } = fake.statusCallback(sid);
      const res = await fetch(postTo ?? url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return res.status;
    },
    reset() {
      fake.messages.length = 0;
      fake.received.length = 0;
      bySid.clear();
      createsTo.clear();
      fake.dropHeld();
      fake.answer = () => 'accept';
      fake.intercept = () => null;
      fake.latencyMs = options.latencyMs ?? 0;
      numbers.reset();
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      fake.dropHeld();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };

  function create(form: URLSearchParams): Reply {
    const request: CreateRequest = {
      to: form.get('To') ?? '',
      from: form.get('From'),
      messagingServiceSid: form.get('MessagingServiceSid'),
      body: form.get('Body') ?? '',
      mediaUrls: form.getAll('MediaUrl'),
      statusCallback: form.get('StatusCallback'),
    };
    if (!request.to) return { status: 400, body: twilioErrorBody(400, 21604, "A 'To' phone number is required.") };
    if (!request.from && !request.messagingServiceSid) return { status: 400, body: twilioErrorBody(400, 21603, "A 'From' phone number is required.") };
    if (!request.body && request.mediaUrls.length === 0) return { status: 400, body: twilioErrorBody(400, 21602, 'Message body is required.') };
    if (request.body.length > 1600) return { status: 400, body: twilioErrorBody(400, 21617, 'The concatenated message body exceeds the 1600 character limit.') };
    const n = (createsTo.get(request.to) ?? 0) + 1;
    createsTo.set(request.to, n);
    const answer = fake.answer(request, n);
    if (typeof answer === 'object') return { status: answer.status, body: twilioErrorBody(answer.status, answer.code, answer.message) };
    if (answer === 'hang' || answer === 'reset') return answer;
    const now = new Date();
    const callback = request.statusCallback ? safeUrl(request.statusCallback) : null;
    const m = fake.addMessage({
      to: request.to,
      // A messaging service picks its number; the answer to the create does not say which yet.
      from: request.from ?? numbers.services.get(request.messagingServiceSid!)?.numbers[0] ?? FAKE_SERVICE_NUMBER,
      messagingServiceSid: request.messagingServiceSid,
      body: request.body,
      mediaUrls: request.mediaUrls,
      status: request.messagingServiceSid ? 'accepted' : 'queued',
      dateCreated: now,
      dateSent: null,
      statusCallback: request.statusCallback,
      omegaMessageId: callback?.searchParams.get('message_id') ?? null,
    });
    const answered = { status: 201, body: { ...messageResource(m, accountSid, accountPath), ...(request.messagingServiceSid ? { from: null } : {}) } };
    const sent = () => {
      fake.setStatus(m.sid, 'sent');
      const deliverAfter = options.deliverAfterMs;
      if (deliverAfter !== null && deliverAfter !== undefined) later(deliverAfter, () => fake.setStatus(m.sid, 'delivered'));
    };
    // Sent at once by default (no timer per message: benchmarks create tens of thousands); the
    // answer above still says queued/accepted, as Twilio's does.
    if (options.sendAfterMs) later(options.sendAfterMs, sent);
    else sent();
    return answer === 'accept' ? { ...answered, onAnswered: () => (m.answered = true) } : 'hang';
  }

  function route(req: ReceivedRequest): Reply {
    if (req.path.startsWith('/__fake__/')) {
      if (req.path === '/__fake__/stats') return { status: 200, body: fake.stats() };
      if (req.path === '/__fake__/messages') return { status: 200, body: fake.messages.map((m) => messageResource(m, accountSid, accountPath)) };
    }
    const intercepted = fake.intercept(req);
    if (intercepted) return intercepted;
    if (req.authorization !== expectedAuth) return { status: 401, body: twilioErrorBody(401, 20003, 'Authenticate') };
    if (req.path.startsWith(`${API}/Accounts/`) && !req.path.startsWith(`${accountPath}/`)) {
      return { status: 403, body: twilioErrorBody(403, 20003, 'Authenticated account does not own this resource') };
    }
    if (req.path === `${accountPath}/Messages.json`) {
      if (req.method === 'POST') return create(req.form);
      if (req.method === 'GET') return listMessages(fake.messages, req.query, accountSid, accountPath);
    }
    const one = new RegExp(`^${accountPath}/Messages/(SM[0-9a-f]{32})\\.json$`).exec(req.path);
    if (one && req.method === 'GET') {
      const m = bySid.get(one[1]!);
      return m ? { status: 200, body: messageResource(m, accountSid, accountPath) } : notFound(req.path);
    }
    return numbers.route(req, accountPath) ?? notFound(req.path);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake.twilio');
      const received: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
        authorization: req.headers.authorization ?? null,
        at: new Date(),
      };
      if (options.recordRequests !== false) fake.received.push(received);
      let answer: Reply;
      try {
        answer = route(received);
      } catch (err) {
        answer = { status: 500, body: twilioErrorBody(500, 20500, `fake Twilio: ${(err as Error).message}`) };
      }
      if (answer === 'reset') return void res.destroy();
      if (answer === 'hang') {
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      const reply = answer;
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
        reply.onAnswered?.();
      };
      if (fake.latencyMs > 0) later(fake.latencyMs, send);
      else send();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  fake.port = (server.address() as { port: number }).port;
  fake.url = `http://127.0.0.1:${fake.port}`;
  return fake;
}

function notFound(path: string) {
  return { status: 404, body: twilioErrorBody(404, 20404, `The requested resource ${path} was not found`) };
}

function safeUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
