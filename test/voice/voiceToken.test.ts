import { jwtVerify, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_VOICE } from '../../src/createProviderSettings.js';
import { ACCOUNT_SID, API_KEY_SECRET, API_KEY_SID, TWIML_APP_SID, startWebhookFixture, type WebhookFixture } from '../webhooks/fixture.js';

const hex = (id: string) => id.replace(/-/g, '');

describe('voice access tokens (GET /voice-calls/token, voiceToken)', () => {
  let f: WebhookFixture;
  beforeAll(async () => {
    f = await startWebhookFixture();
  });
  afterAll(() => f.close());

  async function verify(token: string, secret = API_KEY_SECRET) {
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
    return { payload: payload as any, header: protectedHeader };
  }

  it('issues a Twilio access token with a VoiceGrant for the staff member (business key)', async () => {
    const res = await f.get(`/voice-calls/token?staff_id=${f.staff.anna}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      identity: `staff_${hex(f.staff.anna)}`,
      business_id: 'spa',
      staff_id: f.staff.anna,
      ttl_seconds: 3600,
      outgoing_application_sid: TWIML_APP_SID,
      incoming_allowed: true,
      sandbox: false,
      detail: null,
    });
    const { payload, header } = await verify(res.json.token);
    expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    expect(payload).toMatchObject({
      iss: API_KEY_SID,
      sub: ACCOUNT_SID,
      grants: { identity: `staff_${hex(f.staff.anna)}`, voice: { incoming: { allow: true }, outgoing: { application_sid: TWIML_APP_SID } } },
    });
    expect(payload.exp - payload.iat).toBe(3600);
    expect(new Date(res.json.expires_at).getTime()).toBe(payload.exp * 1000);
  });

  it('takes a shorter lifetime, never a longer one', async () => {
    const short = await f.get(`/voice-calls/token?staff_id=${f.staff.anna}&ttl_seconds=600`);
    const { payload } = await verify(short.json.token);
    expect(payload.exp - payload.iat).toBe(600);
    const long = await f.get(`/voice-calls/token?staff_id=${f.staff.anna}&ttl_seconds=7200`);
    expect(long.status).toBe(422);
    expect(long.json.detail[0].loc).toEqual(['query', 'ttl_seconds']);
  });

  it('a session gets a token for its own staff member only', async () => {
    const auth = await f.post('/auth/token', { business_id: 'spa', staff_id: f.staff.ben });
    expect(auth.status).toBe(201);
    const bearer = { authorization: `Bearer ${auth.json.access_token}` };
    const own = await f.app.inject({ method: 'GET', url: '/voice-calls/token', headers: bearer });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ staff_id: f.staff.ben, identity: `staff_${hex(f.staff.ben)}` });
    const other = await f.app.inject({ method: 'GET', url: `/voice-calls/token?staff_id=${f.staff.anna}`, headers: bearer });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('STAFF_FORBIDDEN');
  });

  it('refuses staff of another business (404), another business (403), no credentials (401), inactive staff (409)', async () => {
    const foreign = await f.get(`/voice-calls/token?staff_id=${f.staff.eve}`);
    expect(foreign.status).toBe(404);
    expect(foreign.json.code).toBe('STAFF_NOT_FOUND');
    const otherBusiness = await f.get(`/voice-calls/token?business_id=salon&staff_id=${f.staff.eve}`);
    expect(otherBusiness.status).toBe(403);
    expect(otherBusiness.json.code).toBe('BUSINESS_FORBIDDEN');
    expect((await f.get(`/voice-calls/token?staff_id=${f.staff.anna}`, '')).status).toBe(401);
    const inactive = await f.get(`/voice-calls/token?staff_id=${f.staff.dan}`);
    expect(inactive.status).toBe(409);
    expect(inactive.json.code).toBe('STAFF_INACTIVE');
    const missing = await f.get('/voice-calls/token');
    expect(missing.status).toBe(422);
    expect(missing.json.detail[0].loc).toEqual(['query', 'staff_id']);
  });

  it('is available over GraphQL with the same rules', async () => {
    const query = 'query ($b: String!, $s: String) { voiceToken(businessId: $b, staffId: $s) { token identity staffId sandbox outgoingApplicationSid expiresAt } }';
    const gql = (variables: Record<string, unknown>) =>
      f.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': f.apiKey, 'content-type': 'application/json' }, payload: { query, variables } }).then((r) => r.json());
    const ok = await gql({ b: 'spa', s: f.staff.cara });
    expect(ok.data.voiceToken).toMatchObject({ identity: `staff_${hex(f.staff.cara)}`, staffId: f.staff.cara, sandbox: false, outgoingApplicationSid: TWIML_APP_SID });
    expect((await verify(ok.data.voiceToken.token)).payload.grants.identity).toBe(`staff_${hex(f.staff.cara)}`);
    const forbidden = await gql({ b: 'salon', s: f.staff.eve });
    expect(forbidden.errors[0].extensions.code).toBe('FORBIDDEN');
    const notFound = await gql({ b: 'spa', s: f.staff.eve });
    expect(notFound.errors[0].extensions.code).toBe('STAFF_NOT_FOUND');
  });

  it('without an API key, signs with sandbox values and says so', async () => {
    const sandbox = await startWebhookFixture({ voiceKey: false });
    try {
      const res = await sandbox.get(`/voice-calls/token?staff_id=${sandbox.staff.anna}`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ sandbox: true, outgoing_application_sid: SANDBOX_VOICE.twimlAppSid, detail: expect.stringContaining('TWILIO_API_KEY_SID') });
      expect(decodeProtectedHeader(res.json.token)).toMatchObject({ cty: 'twilio-fpa;v=1' });
      const { payload } = await verify(res.json.token, SANDBOX_VOICE.apiKeySecret);
      expect(payload).toMatchObject({ iss: SANDBOX_VOICE.apiKeySid, sub: SANDBOX_VOICE.accountSid });
      await expect(verify(res.json.token)).rejects.toThrow(); // not signed with a real key
    } finally {
      await sandbox.close();
    }
  });
});
