import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioSmsChannel } from '../../src/channels/twilio/createTwilioSmsChannel.js';
import { loadConfig } from '../../src/config.js';

// The Twilio channel's own HTTP transport under the real SDK, against a local server: what goes on
// the wire, what comes back, and how failures are classified.
describe('createTwilioHttpClient under messages.create', () => {
  const seen: { url: string; authorization: string | undefined; connection: string | undefined; form: URLSearchParams }[] = [];
  let reply: (res: http.ServerResponse) => void = () => undefined;
  let sockets = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ url: req.url!, authorization: req.headers.authorization, connection: req.headers.connection, form: new URLSearchParams(Buffer.concat(chunks).toString()) });
      reply(res);
    });
  });
  server.on('connection', () => sockets++);
  let base = '';
  const channel = () =>
    createTwilioSmsChannel({ accountSid: `AC${'d4'.repeat(16)}`, authToken: 'tok', publicBaseUrl: 'https://omega.test', defaultSender: null, apiBaseUrl: base, timeoutMs: 300 });
  const request = { messageId: 'b7e0c8d2-5d0e-4f7a-9a57-0c1d2e3f4a5b', businessId: 'spa & co', attempt: 1, to: '+14155550100', body: 'Hi & bye: 100% ✓', sender: { from: '+15005550006', messagingServiceSid: null } };

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('posts the form (media repeated), Basic auth and keep-alive, and reuses the connection', async () => {
    seen.length = 0;
    sockets = 0;
    reply = (res) => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: 'SM123', status: 'queued', from: '+15005550006' }));
    const sms = channel();
    const media = ['https://cdn.test/a.jpg', 'https://cdn.test/b.jpg'];
    expect(await sms.send({ ...request, mediaUrls: media })).toEqual({ ok: true, provider: 'twilio', providerMessageId: 'SM123', providerStatus: 'queued', from: '+15005550006' });
    expect(await sms.send({ ...request, mediaUrls: [] })).toMatchObject({ ok: true });
    expect(seen[0]!.url).toBe(`/2010-04-01/Accounts/AC${'d4'.repeat(16)}/Messages.json`);
    expect(seen[0]!.authorization).toBe(`Basic ${Buffer.from(`AC${'d4'.repeat(16)}:tok`).toString('base64')}`);
    expect(seen[0]!.connection).toBe('keep-alive');
    expect(Object.fromEntries(seen[0]!.form)).toMatchObject({ To: '+14155550100', From: '+15005550006', Body: 'Hi & bye: 100% ✓', StatusCallback: `https://omega.test/twilio/sms/status?message_id=${request.messageId}&business_id=spa%20%26%20co` });
    expect(seen[0]!.form.getAll('MediaUrl')).toEqual(media);
    expect(seen[1]!.form.getAll('MediaUrl')).toEqual([]);
    expect(sockets).toBe(1);
  });

  it("keeps Twilio's error code and text (permanent 4xx, transient 429), and times out as a transient ETIMEDOUT", async () => {
    const sms = channel();
    reply = (res) => res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 21211, message: "The 'To' number is not valid.", status: 400 }));
    expect(await sms.send({ ...request, mediaUrls: [] })).toMatchObject({ ok: false, kind: 'permanent', code: '21211', message: "The 'To' number is not valid.", httpStatus: 400 });
    reply = (res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'); // not Twilio's API: no error code
    expect(await sms.send({ ...request, mediaUrls: [] })).toMatchObject({ ok: false, kind: 'transient', code: 'HTTP_404', httpStatus: 404 });
    reply = (res) => res.writeHead(429, { 'content-type': 'text/plain' }).end('slow down');
    expect(await sms.send({ ...request, mediaUrls: [] })).toMatchObject({ ok: false, kind: 'transient', code: 'HTTP_429', httpStatus: 429 });
    reply = () => undefined; // never answers
    expect(await sms.send({ ...request, mediaUrls: [] })).toMatchObject({ ok: false, kind: 'transient', code: 'ETIMEDOUT', httpStatus: null });
  });
});

// HTTP_PROXY or TWILIO_CA_BUNDLE: the SDK's own transport, which reads them (ours reads neither).
describe('Twilio behind a proxy', () => {
  it('config picks the SDK transport when HTTP_PROXY or TWILIO_CA_BUNDLE is set, and refuses an unreadable CA bundle', () => {
    const live = { TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'token' };
    expect(loadConfig(live).twilio?.transport).toBe('omega');
    expect(loadConfig({ ...live, HTTP_PROXY: 'http://proxy.internal:3128' }).twilio?.transport).toBe('sdk');
    expect(loadConfig({ ...live, TWILIO_CA_BUNDLE: fileURLToPath(import.meta.url) }).twilio?.transport).toBe('sdk');
    expect(() => loadConfig({ ...live, TWILIO_CA_BUNDLE: '/nonexistent/ca.pem' })).toThrow('TWILIO_CA_BUNDLE="/nonexistent/ca.pem" is not a readable file');
  });

  it('sends through HTTP_PROXY with the SDK transport (the proxy sees the tunnel to api.twilio.com)', async () => {
    const tunnels: string[] = [];
    const proxy = http.createServer();
    proxy.on('connect', (req: http.IncomingMessage, socket: import('node:net').Socket) => {
      tunnels.push(req.url ?? '');
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'); // no tunnel
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const before = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      const sms = createTwilioSmsChannel({ accountSid: `AC${'d4'.repeat(16)}`, authToken: 'tok', publicBaseUrl: 'https://omega.test', defaultSender: null, timeoutMs: 2_000, transport: 'sdk' });
      const result = await sms.send({ messageId: 'b7e0c8d2-5d0e-4f7a-9a57-0c1d2e3f4a5b', businessId: 'spa', attempt: 1, to: '+14155550100', body: 'Hi', mediaUrls: [], sender: { from: '+15005550006' } });
      expect(tunnels).toEqual(['api.twilio.com:443']);
      // A refusal without a Twilio error code is not Twilio's answer about the message: retried.
      expect(result).toMatchObject({ ok: false, kind: 'transient', code: 'HTTP_403', httpStatus: 403 });
    } finally {
      if (before === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = before;
      proxy.close();
    }
  });
});
