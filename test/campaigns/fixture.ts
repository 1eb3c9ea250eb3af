// A business ready to run campaigns: the sending fixture (two locations: Downtown with a number in
// New York, Uptown with a messaging service in Paris) whose SMS go to the fake Twilio, clients made
// directly, REST and GraphQL helpers, and the worker's jobs run to the campaign's end.
import { createTwilioSmsChannel } from '../../src/channels/twilio/createTwilioSmsChannel.js';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fakeTwilio.js';
import { startSendingFixture, type SendingFixture } from '../sending/fixture.js';

export interface CampaignFixture extends SendingFixture {
  fake: FakeTwilio;
  n: number;
  addClient(data: { firstName?: string; phone?: string | null; email?: string; type?: string; groups?: string[]; home?: 'A' | 'B' | null; smsOptOut?: boolean; businessId?: string }): Promise<string>;
  rest(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, key?: string): Promise<{ status: number; json: any }>;
  gql(query: string, variables?: Record<string, unknown>, key?: string): Promise<any>;
  /** Runs due jobs, then makes the rest due, until the campaign leaves `sending` (or `rounds` runs out). */
  drain(campaignId: string, rounds?: number): Promise<string>;
  campaignStatus(campaignId: string): Promise<string>;
  /** The Omega message ids the fake received creates for, in order. */
  creates(): { omegaId: string; to: string; body: string; at: Date }[];
  close(): Promise<void>;
}

export async function startCampaignFixture(options: { latencyMs?: number } = {}): Promise<CampaignFixture> {
  const fake = await startFakeTwilio({ latencyMs: options.latencyMs ?? 0 });
  const sms = createTwilioSmsChannel({ accountSid: fake.accountSid, authToken: fake.authToken, apiBaseUrl: fake.url, publicBaseUrl: 'https://omega.test', defaultSender: null, timeoutMs: 5_000 });
  const f = await startSendingFixture({ channels: { sms } });
  const fixture: CampaignFixture = {
    ...f,
    fake,
    n: 0,
    async addClient(data) {
      const i = fixture.n++;
      const phone = data.phone === undefined ? `+1415555${String(1000 + i)}` : data.phone;
      const client = await f.deps.prisma.client.create({
        data: {
          businessId: data.businessId ?? f.businessId,
          firstName: data.firstName ?? `Client${i}`,
          phones: phone ? [phone] : [],
          emails: data.email ? [data.email] : [],
          type: data.type ?? null,
          groups: data.groups ?? [],
          homeLocationId: data.home === 'A' ? f.locationA : data.home === 'B' ? f.locationB : null,
          smsOptOut: data.smsOptOut ?? false,
        },
      });
      return client.id;
    },
    async rest(method, url, body, key = f.apiKey) {
      const res = await f.app.inject({
        method,
        url,
        headers: { 'x-api-key': key, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      return { status: res.statusCode, json: res.body ? res.json() : null };
    },
    async gql(query, variables = {}, key = f.apiKey) {
      const res = await f.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': key, 'content-type': 'application/json' }, payload: JSON.stringify({ query, variables }) });
      return res.json();
    },
    async campaignStatus(id) {
      return (await f.deps.prisma.campaign.findUniqueOrThrow({ where: { id } })).status;
    },
    async drain(id, rounds = 20) {
      for (let i = 0; i < rounds; i++) {
        await f.runJobs();
        const status = await fixture.campaignStatus(id);
        if (status !== 'sending') return status;
        await f.makeJobsDue();
      }
      return fixture.campaignStatus(id);
    },
    creates() {
      return fake.received
        .filter((r) => r.method === 'POST' && r.path.endsWith('/Messages.json'))
        .map((r) => ({ omegaId: new URL(r.form.get('StatusCallback') ?? 'https://x/').searchParams.get('message_id') ?? '', to: r.form.get('To') ?? '', body: r.form.get('Body') ?? '', at: r.at }));
    },
    async close() {
      await f.close();
      await fake.close();
    },
  };
  return fixture;
}
