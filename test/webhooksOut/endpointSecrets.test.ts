// Signing secrets and the test ping against a real local receiver that verifies with the
// standardwebhooks package: after a rotation both secrets sign until the grace period ends, then
// only the new one; the ping's envelope; what the receiver answered; nothing recorded.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointSigningSecrets, rotationGraceEnd } from '../../src/domain/outboundWebhooks/endpointSigningSecrets.js';
import { newWebhookSecret, sealSecret } from '../../src/domain/outboundWebhooks/secretBox.js';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../helpers/webhookReceiver.js';

const verifies = (secret: string, r: ReceivedWebhook) => {
  try {
    new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
};

describe('webhook endpoint secrets and test pings', () => {
  let t: TestApp;
  let a: { id: string; apiKey: string };
  let receiver: WebhookReceiver;

  const call = (method: 'GET' | 'POST', path: string, payload?: unknown) =>
    t.app.inject({ method, url: `/businesses/${a.id}/webhooks${path}`, headers: { 'x-api-key': a.apiKey }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const ping = async (id: string) => {
    const before = receiver.received.length;
    const res = await call('POST', `/${id}/test`);
    expect(res.statusCode, res.body).toBe(200);
    return { answer: res.json(), received: receiver.received.slice(before) };
  };

  beforeAll(async () => {
    t = await startTestApp({ depsOptions: { outboundWebhooks: { allowPrivate: true, secretGraceHours: 24, disableAfterDays: 3 } } });
    a = await createBusiness(t.deps, 'sec-a');
    receiver = await startWebhookReceiver({ path: '/hooks/omega' });
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  it('sends a signed webhook_endpoint.test ping that the receiver verifies, and answers what it said; nothing is recorded', async () => {
    const created = (await call('POST', '', { url: receiver.url })).json();
    receiver.answer = () => ({ status: 200, body: 'x'.repeat(3000) });
    const { answer, received } = await ping(created.id);
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/hooks/omega');
    expect(r.headers['content-type']).toBe('application/json');
    expect(verifies(created.secret, r)).toBe(true);
    const envelope = JSON.parse(r.body);
    expect(envelope).toEqual({ version: 1, id: answer.id, type: 'webhook_endpoint.test', business_id: a.id, created_at: envelope.created_at, data: { endpoint_id: created.id } });
    expect(answer.id).toMatch(/^test_[0-9a-f-]{36}$/);
    expect(r.headers['webhook-id']).toBe(answer.id);
    expect(Math.abs(Date.parse(envelope.created_at) - Date.now())).toBeLessThan(60_000);
    expect(answer).toMatchObject({ ok: true, status_code: 200, error: null });
    expect(answer.response_body).toBe('x'.repeat(1024));
    expect(answer.latency_ms).toBeGreaterThanOrEqual(0);

    receiver.answer = () => ({ status: 500, body: 'boom' });
    expect((await ping(created.id)).answer).toMatchObject({ ok: false, status_code: 500, response_body: 'boom', error: null });
    receiver.answer = () => ({ status: 200, body: 'ok' });

    // Disabled endpoints can be tested too (before enabling them again).
    await t.app.inject({ method: 'PATCH', url: `/businesses/${a.id}/webhooks/${created.id}`, headers: { 'x-api-key': a.apiKey }, payload: { enabled: false } });
    expect((await ping(created.id)).answer.ok).toBe(true);

    const counts = await t.deps.pool.query('SELECT (SELECT count(*) FROM webhook_deliveries)::int AS deliveries, (SELECT count(*) FROM webhook_attempts)::int AS attempts');
    expect(counts.rows[0]).toEqual({ deliveries: 0, attempts: 0 });
  });

  it('answers a receiver that is down with no status code and the error', async () => {
    const down = await startWebhookReceiver();
    await down.close();
    const created = (await call('POST', '', { url: down.url })).json();
    const { answer } = await ping(created.id);
    expect(answer).toMatchObject({ ok: false, status_code: null, response_body: null });
    expect(answer.error).toMatch(/ECONNREFUSED/);
  });

  it('signs with the old and the new secret during the grace period, then with the new one only', async () => {
    const created = (await call('POST', '', { url: receiver.url })).json();
    const old = created.secret as string;
    const rotated = await call('POST', `/${created.id}/rotate-secret`, {});
    expect(rotated.statusCode).toBe(200);
    const fresh = rotated.json().secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    const graceEnd = Date.parse(rotated.json().previous_secret_expires_at);
    expect(graceEnd - Date.now()).toBeGreaterThan(24 * 3_600_000 - 60_000);
    expect(graceEnd - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
    expect((await call('GET', `/${created.id}`)).json().previous_secret_expires_at).toBe(rotated.json().previous_secret_expires_at);

    let { received } = await ping(created.id);
    expect(received).toHaveLength(1);
    expect((received[0]!.headers['webhook-signature'] as string).split(' ')).toHaveLength(2);
    expect(verifies(old, received[0]!)).toBe(true);
    expect(verifies(fresh, received[0]!)).toBe(true);

    // The grace period has ended.
    await t.deps.pool.query(`UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [created.id]);
    ({ received } = await ping(created.id));
    expect((received[0]!.headers['webhook-signature'] as string).split(' ')).toHaveLength(1);
    expect(verifies(fresh, received[0]!)).toBe(true);
    expect(verifies(old, received[0]!)).toBe(false);
    expect((await call('GET', `/${created.id}`)).json().previous_secret_expires_at).toBeNull();
  });

  it('stops the replaced secret at once with expire_current_now, and keeps only one previous secret', async () => {
    const created = (await call('POST', '', { url: receiver.url })).json();
    const second = (await call('POST', `/${created.id}/rotate-secret`, {})).json();
    const third = (await call('POST', `/${created.id}/rotate-secret`, {})).json();
    let { received } = await ping(created.id);
    expect([created.secret, second.secret, third.secret].map((s) => verifies(s, received[0]!))).toEqual([false, true, true]);

    const fourth = await call('POST', `/${created.id}/rotate-secret`, { expire_current_now: true });
    expect(fourth.json().previous_secret_expires_at).toBeNull();
    ({ received } = await ping(created.id));
    expect([second.secret, third.secret, fourth.json().secret].map((s) => verifies(s, received[0]!))).toEqual([false, false, true]);
    const row = await t.deps.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ previousSecretEncrypted: null, previousSecretExpiresAt: null });
    expect(row.secretEncrypted).not.toContain(fourth.json().secret.slice('whsec_'.length));
  });

  it('rotates over GraphQL with the same rules', async () => {
    const created = (await call('POST', '', { url: receiver.url })).json();
    const gql = (query: string) => t.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': a.apiKey }, payload: { query } });
    const rotated = (await gql(`mutation { rotateWebhookEndpointSecret(input: { id: "${created.id}", expireCurrentNow: true }) { secret webhookEndpoint { previousSecretExpiresAt } } }`)).json().data
      .rotateWebhookEndpointSecret;
    expect(rotated.webhookEndpoint.previousSecretExpiresAt).toBeNull();
    const tested = (await gql(`mutation { testWebhookEndpoint(input: { id: "${created.id}" }) { id ok statusCode latencyMs error responseBody } }`)).json().data.testWebhookEndpoint;
    expect(tested).toMatchObject({ ok: true, statusCode: 200, error: null, responseBody: 'ok' });
    const r = receiver.received.at(-1)!;
    expect(r.headers['webhook-id']).toBe(tested.id);
    expect(verifies(rotated.secret, r)).toBe(true);
    expect(verifies(created.secret, r)).toBe(false);
  });

  it('endpointSigningSecrets: current first, the previous one until (not at) its expiry', () => {
    const key = t.deps.outboundWebhooks.secretKey;
    const current = newWebhookSecret();
    const previous = newWebhookSecret();
    const expiresAt = new Date('2026-12-04T12:00:00Z');
    const endpoint = { secretEncrypted: sealSecret(key, current), previousSecretEncrypted: sealSecret(key, previous), previousSecretExpiresAt: expiresAt };
    expect(endpointSigningSecrets(t.deps, endpoint, new Date(expiresAt.getTime() - 1))).toEqual([current, previous]);
    expect(endpointSigningSecrets(t.deps, endpoint, expiresAt)).toEqual([current]);
    expect(endpointSigningSecrets(t.deps, { ...endpoint, previousSecretEncrypted: null, previousSecretExpiresAt: null }, expiresAt)).toEqual([current]);
    expect(rotationGraceEnd(endpoint, new Date(expiresAt.getTime() - 1))).toEqual(expiresAt);
    expect(rotationGraceEnd(endpoint, expiresAt)).toBeNull();
  });
});
