import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  const channel = () => createTwilioSmsChannel({ accountSid: `AC${'d4'.repeat(16)}`, authToken: 'tok', publicBaseUrl: 'https://omega.test', defaultSender: null, apiBaseUrl: base, timeoutMs: 300 });
  const request = {
    messageId: 'b7e0c8d2-5d0e-4f7a-9a57-0c1d2e3f4a5b',
    businessId: 'spa & co',
    attempt: 1,
    to: '+14155550100',
    body: 'Hi & bye: 100% ✓',
    sender: { from: '+15005550006', messagingServiceSid: null },
  };

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
    expect(Object.fromEntries(seen[0]!.form)).toMatchObject({
      To: '+14155550100',
      From: '+15005550006',
      Body: 'Hi & bye: 100% ✓',
      StatusCallback: `https://omega.test/twilio/sms/status?message_id=${request.messageId}&business_id=spa%20%26%20co`,
    });
    expect(seen[0]!.form.getAll('MediaUrl')).toEqual(media);
    expect(seen[1]!.form.getAll('MediaUrl')).toEqual([]);
    expect(sockets).toBe(1);
  });

  it("keeps Twilio's error code and text (permanent 4xx, transient 429), and times out as a transient ETIMEDOUT", async () => {
    const sms = channel();
    reply = (res) => res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 21211, message: "The 'To' number is not valid.", status: 400 }));
    expect(await sms.send({ ...request, mediaUrls: [] })).toMatchObject({ ok: false, kind: 'permanent', code: '21211', message: "The 'To' number is not valid.", httpStatus: 400 });
    reply = (res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'); // no Twilio code, no proxy: still an answer
    expect(await sms.send({ ...request, mediaUrls: [] })).toMatchObject({ ok: false, kind: 'permanent', code: 'HTTP_404', httpStatus: 404 });
    reply = (res) => res.writeHead(429, { 'content-type': 'text/plain' }).end('slow down');
    expect(await sms.send({ ...request, mediaUrls: [] })).toMatchObject({ ok: false, kind: 'transient', code: 'HTTP_429', httpStatus: 429 });
    reply = () => undefined; // never answers
    expect(await sms.send({ ...request, mediaUrls: [] })).toMatchObject({ ok: false, kind: 'transient', code: 'ETIMEDOUT', httpStatus: null });
  });
});

// A TLS-inspecting proxy: it answers CONNECT for api.twilio.com by tunnelling to its own TLS server,
// whose certificate for api.twilio.com only TWILIO_CA_BUNDLE's certificate vouches for.
describe('Twilio through HTTP_PROXY, trusting TWILIO_CA_BUNDLE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'omega-twilio-ca-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const tunnels: string[] = [];
  let refuse = false;
  let tlsServer: https.Server;
  let proxy: http.Server;
  let proxyUrl = '';
  const live = { TWILIO_ACCOUNT_SID: `AC${'d4'.repeat(16)}`, TWILIO_AUTH_TOKEN: 'tok' };
  const request = { messageId: 'b7e0c8d2-5d0e-4f7a-9a57-0c1d2e3f4a5b', businessId: 'spa', attempt: 1, to: '+14155550100', body: 'Hi', mediaUrls: [], sender: { from: '+15005550006' } };
  const channel = (access: { proxyUrl?: string; ca?: Buffer }) =>
    createTwilioSmsChannel({ accountSid: live.TWILIO_ACCOUNT_SID, authToken: 'tok', publicBaseUrl: 'https://omega.test', defaultSender: null, timeoutMs: 3_000, ...access });

  beforeAll(async () => {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=api.twilio.com', '-addext', 'subjectAltName=DNS:api.twilio.com'],
      { stdio: 'ignore' },
    );
    tlsServer = https.createServer({ key: readFileSync(keyPath), cert: readFileSync(certPath) }, (req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: 'SMviaproxy', status: 'queued', from: '+15005550006' })));
    });
    await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
    const tlsPort = (tlsServer.address() as AddressInfo).port;
    proxy = http.createServer();
    proxy.on('connect', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      if (refuse) {
        socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
        return;
      }
      const upstream = connect(tlsPort, '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    proxy.closeAllConnections();
    tlsServer.closeAllConnections();
    await new Promise((r) => proxy.close(r));
    await new Promise((r) => tlsServer.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('config reads both for live Twilio only, and names a bad proxy URL or CA bundle', () => {
    const c = loadConfig({ ...live, HTTP_PROXY: proxyUrl, TWILIO_CA_BUNDLE: certPath }).twilio!;
    expect(c.proxyUrl).toBe(proxyUrl);
    expect(c.ca?.equals(readFileSync(certPath))).toBe(true);
    expect(loadConfig({ HTTP_PROXY: 'proxy:3128', TWILIO_CA_BUNDLE: '/nonexistent.pem' }).twilio).toBeUndefined(); // sandbox: not ours to check
    expect(() => loadConfig({ ...live, HTTP_PROXY: 'proxy:3128' })).toThrow('HTTP_PROXY="proxy:3128"');
    expect(() => loadConfig({ ...live, TWILIO_CA_BUNDLE: '/nonexistent.pem' })).toThrow('TWILIO_CA_BUNDLE="/nonexistent.pem" is not a readable PEM file');
    expect(() => loadConfig({ ...live, TWILIO_CA_BUNDLE: keyPath })).toThrow('is not a readable PEM file'); // a key, not a certificate
  });

  it('sends through the proxy, trusting the bundle', async () => {
    tunnels.length = 0;
    refuse = false;
    const sms = channel({ proxyUrl, ca: readFileSync(certPath) });
    expect(await sms.send(request)).toMatchObject({ ok: true, providerMessageId: 'SMviaproxy' });
    expect(tunnels).toEqual(['api.twilio.com:443']);
  });

  it('without the bundle, the proxy certificate is refused: a transient failure, retried later', async () => {
    tunnels.length = 0;
    refuse = false;
    expect(await channel({ proxyUrl }).send(request)).toMatchObject({ ok: false, kind: 'transient', httpStatus: null });
    expect(tunnels).toEqual(['api.twilio.com:443']);
  });

  it('a proxy refusing the tunnel is transient, not an answer about the message', async () => {
    refuse = true;
    expect(await channel({ proxyUrl, ca: readFileSync(certPath) }).send(request)).toMatchObject({ ok: false, kind: 'transient', code: 'HTTP_407', httpStatus: 407 });
  });
});
