import { fork } from 'node:child_process';
import { createServer } from 'node:net';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createChannels } from '../../src/channels/createChannels.js';
import { createTwilioClient } from '../../src/channels/twilio/createTwilioClient.js';
import { ConfigError, loadConfig, type Config } from '../../src/config.js';
import { createWebhookSettings } from '../../src/createProviderSettings.js';
import { createProvisioning } from '../../src/provisioning/createProvisioning.js';
import { FAKE_TWILIO_ACCOUNT_SID, FAKE_TWILIO_AUTH_TOKEN, startFakeTwilio, type FakeTwilio } from '../helpers/fakeTwilio.js';
import { startSendingFixture } from '../sending/fixture.js';
import { waitFor } from '../helpers/waitFor.js';

const configError = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return '';
};
/** A port free on 127.0.0.1 now: PUBLIC_BASE_URL must be known before the app listens. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
const creds = { TWILIO_ACCOUNT_SID: FAKE_TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: FAKE_TWILIO_AUTH_TOKEN };

describe('OMEGA_TWILIO_API_BASE_URL', () => {
  it('accepts a URL on this machine with the fake’s credentials, and refuses another host unless allowed', () => {
    for (const base of ['http://127.0.0.1:4010', 'http://localhost:4010/', 'http://[::1]:4010', 'http://127.8.9.10:1']) {
      expect(loadConfig({ ...creds, OMEGA_TWILIO_API_BASE_URL: base }).twilio?.apiBaseUrl).toBe(base.replace(/\/$/, ''));
    }
    expect(configError({ ...creds, OMEGA_TWILIO_API_BASE_URL: 'https://twilio-fake.internal:8443' })).toContain(
      'OMEGA_TWILIO_API_BASE_URL="https://twilio-fake.internal:8443" is not on this machine (localhost, 127.0.0.0/8 or ::1): Twilio credentials would be sent there. Set OMEGA_ALLOW_CUSTOM_PROVIDER_URL=true',
    );
    expect(configError({ ...creds, OMEGA_TWILIO_API_BASE_URL: 'http://127.0.0.1.evil.example' })).toContain('is not on this machine');
    expect(loadConfig({ ...creds, OMEGA_TWILIO_API_BASE_URL: 'https://twilio-fake.internal:8443', OMEGA_ALLOW_CUSTOM_PROVIDER_URL: 'true' }).twilio?.apiBaseUrl).toBe(
      'https://twilio-fake.internal:8443',
    );
    expect(configError({ ...creds, OMEGA_TWILIO_API_BASE_URL: 'ftp://127.0.0.1' })).toContain('OMEGA_TWILIO_API_BASE_URL="ftp://127.0.0.1" is not a http: or https: URL');
    expect(configError({ ...creds, OMEGA_TWILIO_API_BASE_URL: 'http://127.0.0.1:4010/?x=1' })).toContain('must be an origin (and path) without credentials, query or fragment');
    expect(configError({ OMEGA_TWILIO_API_BASE_URL: 'http://127.0.0.1:4010' })).toContain('OMEGA_TWILIO_API_BASE_URL needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN');
    expect(configError({ ...creds, OMEGA_ALLOW_CUSTOM_PROVIDER_URL: 'maybe' })).toContain('OMEGA_ALLOW_CUSTOM_PROVIDER_URL="maybe" is not a boolean');
    expect(loadConfig(creds).twilio?.apiBaseUrl).toBeUndefined();
  });
});

describe('a process configured by env alone reaches the fake Twilio for every Twilio API use', () => {
  let fake: FakeTwilio;
  let config: Config;

  beforeAll(async () => {
    fake = await startFakeTwilio();
    config = loadConfig({ ...creds, OMEGA_TWILIO_API_BASE_URL: fake.url, PUBLIC_BASE_URL: 'https://omega.test' });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('sends, fetches for reconciliation and lists through the SMS channel and the webhook settings', async () => {
    const sms = createChannels(config).sms;
    const sent = await sms.send({
      messageId: '0190a000-0000-7000-8000-000000000001',
      businessId: 'spa',
      attempt: 1,
      to: '+14155550100',
      body: 'Hello',
      mediaUrls: [],
      sender: { from: '+15005550006' },
    });
    expect(sent).toMatchObject({ ok: true, provider: 'twilio', providerStatus: 'queued', from: '+15005550006' });
    const sid = (sent as { providerMessageId: string }).providerMessageId;
    expect(fake.messages.map((m) => [m.sid, m.to, m.body, m.omegaMessageId])).toEqual([[sid, '+14155550100', 'Hello', '0190a000-0000-7000-8000-000000000001']]);
    const fetched = await createWebhookSettings({ ...config, publicBaseUrl: config.publicBaseUrl }).fetchTwilioMessage!(sid);
    expect(fetched).toMatchObject({ found: true, sid, status: 'sent' });
    expect(await createWebhookSettings({ ...config, publicBaseUrl: config.publicBaseUrl }).fetchTwilioMessage!(`SM${'0'.repeat(32)}`)).toMatchObject({ found: false });
    expect(fake.received.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /2010-04-01/Accounts/${FAKE_TWILIO_ACCOUNT_SID}/Messages.json`,
      `GET /2010-04-01/Accounts/${FAKE_TWILIO_ACCOUNT_SID}/Messages/${sid}.json`,
      `GET /2010-04-01/Accounts/${FAKE_TWILIO_ACCOUNT_SID}/Messages/SM${'0'.repeat(32)}.json`,
    ]);
  });

  it('provisions numbers and attaches a messaging service (messaging.twilio.com maps onto the base URL too)', async () => {
    const numbers = createProvisioning({ publicBaseUrl: config.publicBaseUrl, twilio: config.twilio }).numbers;
    const onSale = await numbers.searchNumbers({ country: 'US', areaCode: '415', limit: 3 });
    expect(onSale).toEqual(['+14155550100', '+14155550101', '+14155550102']);
    const bought = await numbers.buyNumber({ phoneNumber: onSale[0]!, friendlyName: 'omega:loc-1' });
    expect(bought).toMatchObject({ phoneNumber: '+14155550100', friendlyName: 'omega:loc-1', webhooks: { smsUrl: 'https://omega.test/twilio/sms/incoming' } });
    expect(await numbers.findNumberByName('omega:loc-1')).toEqual(bought);
    expect(await numbers.findNumber('+14155550100')).toEqual(bought);
    expect(await numbers.findNumber('+14155550199')).toBeNull();
    await expect(numbers.buyNumber({ phoneNumber: onSale[0]!, friendlyName: 'again' })).rejects.toMatchObject({ code: 'TWILIO_21422', retryable: false });
    const own = fake.numbers.addNumber('+16505550123');
    expect(await numbers.configureNumber({ sid: own.sid, phoneNumber: own.phoneNumber, friendlyName: null, webhooks: { smsUrl: '', voiceUrl: '', statusCallback: '' } })).toMatchObject({
      webhooks: { voiceUrl: 'https://omega.test/voice-calls/twiml' },
    });
    const mg = `MG${'ab'.repeat(16)}`;
    expect(await numbers.attachMessagingService(mg)).toMatchObject({ sid: mg, inboundRequestUrl: 'https://omega.test/twilio/sms/incoming' });
    expect(fake.numbers.services.get(mg)).toMatchObject({ statusCallback: 'https://omega.test/twilio/sms/status' });
    expect(fake.received.at(-1)!.path).toBe(`/v1/Services/${mg}`);
  });

  it('refuses other credentials with 401 (20003), as Twilio does', async () => {
    const wrong = createChannels({ ...config, twilio: { ...config.twilio!, authToken: 'not-the-token' } }).sms;
    const result = await wrong.send({
      messageId: '0190a000-0000-7000-8000-000000000002',
      businessId: 'spa',
      attempt: 1,
      to: '+14155550100',
      body: 'x',
      mediaUrls: [],
      sender: { from: '+15005550006' },
    });
    expect(result).toMatchObject({ ok: false, code: '20003', httpStatus: 401 });
    expect(fake.messages).toHaveLength(0);
  });
});

describe('the fake Twilio’s list applies Twilio’s filters and paging', () => {
  let fake: FakeTwilio;
  const client = () => createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, apiBaseUrl: fake.url }, { timeoutMs: 5_000 });
  const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

  beforeAll(async () => {
    fake = await startFakeTwilio();
    fake.addMessage({ to: '+14155550001', from: '+15005550006', body: 'a', dateCreated: day('2026-11-26') });
    fake.addMessage({ to: '+14155550001', from: '+15005550006', body: 'b', dateCreated: day('2026-11-27') });
    fake.addMessage({ to: '+14155550001', from: '+15005550007', body: 'c', dateCreated: day('2026-11-28') });
    fake.addMessage({ to: '+14155550002', from: '+15005550006', body: 'd', dateCreated: day('2026-11-28') });
    fake.addMessage({ to: '+14155550001', from: '+15005550006', body: 'queued', dateCreated: day('2026-11-28'), dateSent: null, status: 'queued' });
  });
  afterAll(() => fake.close());

  it('filters by To, From and the UTC day of date_sent (=, on or after, on or before); unsent messages match no date', async () => {
    const bodies = async (params: Parameters<ReturnType<typeof client>['messages']['list']>[0]) => (await client().messages.list(params)).map((m) => m.body);
    expect(await bodies({ to: '+14155550001' })).toEqual(['queued', 'c', 'b', 'a']);
    expect(await bodies({ to: '+14155550001', from: '+15005550006' })).toEqual(['queued', 'b', 'a']);
    expect(await bodies({ to: '+14155550001', dateSentAfter: new Date('2026-11-27T23:59:59Z') })).toEqual(['c', 'b']);
    expect(await bodies({ to: '+14155550001', dateSentBefore: new Date('2026-11-27T00:00:00Z') })).toEqual(['b', 'a']);
    expect(await bodies({ dateSent: new Date('2026-11-28T00:00:00Z') })).toEqual(['d', 'c']);
    const received = fake.received.at(-1)!;
    expect(received.query.get('DateSent')).toBe('2026-11-28T00:00:00Z');
  });

  it('pages as Twilio does (next_page_uri with a page token), so the SDK walks every page', async () => {
    for (let i = 0; i < 7; i++) fake.addMessage({ to: '+14155550003', from: '+15005550006', body: `p${i}`, dateCreated: new Date(Date.UTC(2026, 10, 28, 12, 0, i)) });
    const before = fake.received.length;
    const all = await client().messages.list({ to: '+14155550003', pageSize: 3 });
    expect(all.map((m) => m.body)).toEqual(['p6', 'p5', 'p4', 'p3', 'p2', 'p1', 'p0']);
    const pages = fake.received.slice(before);
    expect(pages).toHaveLength(3);
    expect(pages[1]!.query.get('PageToken')).toMatch(/^PA\d+_\d+$/);
    expect(pages.map((p) => p.query.get('To'))).toEqual(['+14155550003', '+14155550003', '+14155550003']);
  });
});

describe('the fake Twilio’s status callbacks', () => {
  it('signs them with the auth token over the StatusCallback URL, as Twilio does', async () => {
    const fake = await startFakeTwilio();
    try {
      const sms = createChannels(loadConfig({ ...creds, OMEGA_TWILIO_API_BASE_URL: fake.url, PUBLIC_BASE_URL: 'https://omega.test' })).sms;
      const sent = await sms.send({
        messageId: '0190a000-0000-7000-8000-000000000003',
        businessId: 'spa',
        attempt: 1,
        to: '+14155550100',
        body: 'Hi',
        mediaUrls: [],
        sender: { messagingServiceSid: `MG${'cd'.repeat(16)}` },
      });
      expect(sent).toMatchObject({ ok: true, providerStatus: 'accepted', from: null });
      const sid = (sent as { providerMessageId: string }).providerMessageId;
      fake.setStatus(sid, 'delivered');
      const cb = fake.statusCallback(sid);
      expect(cb.url).toBe('https://omega.test/twilio/sms/status?message_id=0190a000-0000-7000-8000-000000000003&business_id=spa');
      expect(cb.params).toMatchObject({ MessageSid: sid, MessageStatus: 'delivered', To: '+14155550100', From: '+15005550006', MessagingServiceSid: `MG${'cd'.repeat(16)}` });
      expect(twilio.validateRequest(FAKE_TWILIO_AUTH_TOKEN, cb.signature, cb.url, cb.params)).toBe(true);
      expect(twilio.validateRequest('another-token', cb.signature, cb.url, cb.params)).toBe(false);
    } finally {
      await fake.close();
    }
  });
});

describe('the fake Twilio’s status callbacks reach Omega over HTTP', () => {
  it('posts signed callbacks to PUBLIC_BASE_URL that Omega verifies and applies: sent, then delivered', async () => {
    const fake = await startFakeTwilio({ postStatusCallbacks: true, deliverAfterMs: 50 });
    const port = await freePort();
    const publicBaseUrl = `http://127.0.0.1:${port}`;
    const twilioConfig = loadConfig({ ...creds, OMEGA_TWILIO_API_BASE_URL: fake.url }).twilio;
    const f = await startSendingFixture({ depsOptions: { publicBaseUrl, twilio: twilioConfig } });
    try {
      await f.app.listen({ port, host: '127.0.0.1' });
      expect(f.deps.channels.sms.provider).toBe('twilio');
      const id = (await f.post('/sms/send', { to: '+14155550177', body: 'Hi', location_id: f.locationA })).json.message_ids[0] as string;
      await f.runJobs();
      await waitFor('the delivered report', async () => (await f.message(id)).status === 'delivered', 10_000);
      expect(await f.message(id)).toMatchObject({ status: 'delivered', providerMessageId: fake.createsFor(id)[0]!.sid });
      const reports = (await f.events(id)).filter((e) => e.type === 'status').map((e) => [e.status, (e.payload as { source: string }).source]);
      expect(reports).toEqual([
        ['sent', 'webhook'],
        ['delivered', 'webhook'],
      ]);
    } finally {
      await f.close();
      await fake.close();
    }
  });
});

describe('the fake Twilio as a process of its own', () => {
  it('prints where it listens and counts what it received over IPC and HTTP', async () => {
    const child = fork(new URL('../helpers/fakeTwilioProcess.ts', import.meta.url).pathname, ['--latency-ms', '5'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    try {
      const started = await new Promise<{ url: string; accountSid: string; authToken: string }>((resolve, reject) => {
        child.stdout!.once('data', (d: Buffer) => resolve(JSON.parse(d.toString())));
        child.once('exit', (code) => reject(new Error(`fake Twilio exited with ${code}`)));
      });
      expect(started).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), accountSid: FAKE_TWILIO_ACCOUNT_SID, authToken: FAKE_TWILIO_AUTH_TOKEN });
      const sms = createChannels(loadConfig({ ...creds, OMEGA_TWILIO_API_BASE_URL: started.url })).sms;
      const request = { messageId: '0190a000-0000-7000-8000-000000000004', businessId: 'spa', attempt: 1, to: '+14155550100', body: 'Hi', mediaUrls: [], sender: { from: '+15005550006' } };
      expect(await sms.send(request)).toMatchObject({ ok: true });
      expect(await sms.send(request)).toMatchObject({ ok: true });
      const stats = await new Promise((resolve) => {
        child.once('message', resolve);
        child.send({ type: 'stats' });
      });
      expect(stats).toEqual({ type: 'stats', creates: 2, sentMessages: 1, duplicates: 1 });
      expect(await (await fetch(`${started.url}/__fake__/stats`)).json()).toEqual({ creates: 2, sentMessages: 1, duplicates: 1 });
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
