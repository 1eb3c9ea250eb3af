// Outbound webhook delivery end to end: events committed by the domain reach a real local receiver
// through the real worker (dispatcher, graphile-worker jobs, deliverer), signed, in order, with the
// objects they are about; failures are retried, 410 and long failure disable the endpoint.
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addNote } from '../../src/domain/conversations/addNote.js';
import { openConversation } from '../../src/domain/conversations/openConversation.js';
import type { Deps } from '../../src/domain/deps.js';
import { dispatchWebhooks } from '../../src/domain/outboundWebhooks/dispatchWebhooks.js';
import { deliverWebhooks } from '../../src/domain/outboundWebhooks/deliverWebhooks.js';
import { updateWebhookEndpoint } from '../../src/domain/outboundWebhooks/updateWebhookEndpoint.js';
import { wakeStrandedDeliverers } from '../../src/domain/outboundWebhooks/dispatchWebhooks.js';
import { queuedJobs, withWorker } from '../helpers/jobs.js';
import { createBusiness, startTestDeps } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';
import { insertTestEndpoint } from '../helpers/webhookEndpoints.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver.js';

const WORKER = { concurrency: 4, deadAfterSeconds: 60, log: pino({ level: 'silent' }) };

let t: Awaited<ReturnType<typeof startTestDeps>>;
let deps: Deps;
let receiver: WebhookReceiver;
let conversationId: string;

beforeAll(async () => {
  t = await startTestDeps(12, undefined, {
    outboundWebhooks: { allowPrivate: true, secretGraceHours: 24, disableAfterDays: 3 },
    outboundWebhookOverrides: { retryDelaysMs: [50, 100, 150], leaseMs: 5_000, timeoutMs: 2_000 },
  });
  deps = t.deps;
  await createBusiness(deps, 'hooks');
  await createBusiness(deps, 'other');
  const location = await deps.prisma.location.create({ data: { businessId: 'hooks', name: 'Main' } });
  conversationId = (await openConversation(deps, { businessId: 'hooks', phone: '+14155550101', locationId: location.id })).conversation.id;
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await receiver?.close();
  receiver = await startWebhookReceiver();
  await deps.sql.query(`DELETE FROM webhook_endpoints`);
});

const note = (body: string) => addNote(deps, { principal: null, businessId: 'hooks', conversationId, body });
const eventIds = (events: Record<string, unknown>[]) => events.map((e) => Number(String(e['id']).slice(4)));

describe('outbound webhook delivery', () => {
  it('delivers every event after the endpoint was created, signed, in log order, with the message it is about', async () => {
    await note('before the endpoint');
    const endpoint = await insertTestEndpoint(deps, 'hooks', receiver.url);
    receiver.secrets = [endpoint.secret];
    await withWorker(deps, WORKER, async () => {
      for (let i = 1; i <= 5; i++) await note(`note ${i}`);
      await waitFor('5 deliveries', () => receiver.accepted().length >= 5, 10_000);
    });
    const events = receiver.accepted();
    expect(events).toHaveLength(5);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(events.map((e) => (e['data'] as { message: { body: string } }).message.body)).toEqual(['note 1', 'note 2', 'note 3', 'note 4', 'note 5']);
    expect(eventIds(events)).toEqual([...eventIds(events)].sort((a, b) => a - b));
    expect(events[0]).toMatchObject({
      version: 1,
      type: 'message.created',
      business_id: 'hooks',
      data: { conversation_id: conversationId, changes: { channel: 'note', direction: 'internal' }, conversation: { id: conversationId, client: { phones: ['+14155550101'] } } },
    });
    expect(receiver.received[0]!.id).toBe(events[0]!['id']);
    const delivered = await deps.prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id }, include: { attemptsLog: true } });
    expect(delivered.map((d) => [d.status, d.attempts, d.attemptsLog.length, d.attemptsLog[0]?.statusCode])).toEqual(Array(5).fill(['delivered', 1, 1, 204]));
  });

  it('queues only the types an endpoint takes, and none of another business', async () => {
    const endpoint = await insertTestEndpoint(deps, 'hooks', receiver.url, { eventTypes: ['conversation.updated'] });
    const other = await insertTestEndpoint(deps, 'other', receiver.url);
    await note('not for this endpoint');
    await dispatchWebhooks(deps, null);
    expect(await deps.prisma.webhookDelivery.count({ where: { endpointId: { in: [endpoint.id, other.id] } } })).toBe(0);
    // The cursor moved past the note: it is never queued later either.
    const [row] = await deps.sql.query<{ cursor_id: string }>(`SELECT cursor_id::text FROM webhook_endpoints WHERE id = $1`, [endpoint.id]);
    expect(Number(row!.cursor_id)).toBeGreaterThan(0);
  });

  it('keeps order through a receiver that is down for a while: retries the head, later events wait, none is lost', async () => {
    const endpoint = await insertTestEndpoint(deps, 'hooks', receiver.url);
    receiver.secrets = [endpoint.secret];
    let down = true;
    receiver.answer = () => (down ? 503 : 200);
    await withWorker(deps, WORKER, async () => {
      for (let i = 1; i <= 4; i++) await note(`through an outage ${i}`);
      await waitFor('two failed attempts', () => receiver.received.length >= 2, 10_000);
      // While the head fails, nothing behind it went out.
      expect(new Set(receiver.received.map((r) => r.id)).size).toBe(1);
      down = false;
      await waitFor('all 4 delivered', () => receiver.accepted().length >= 4, 15_000);
    });
    const events = receiver.accepted();
    expect(events.map((e) => (e['data'] as { message: { body: string } }).message.body)).toEqual([1, 2, 3, 4].map((i) => `through an outage ${i}`));
    const head = await deps.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id }, orderBy: { id: 'asc' }, include: { attemptsLog: { orderBy: { id: 'asc' } } } });
    expect(head.status).toBe('delivered');
    expect(head.attemptsLog.length).toBeGreaterThanOrEqual(3);
    expect(head.attemptsLog.slice(0, -1).every((a) => a.statusCode === 503 && a.responseBody === 'answer 503')).toBe(true);
    const endpointRow = await deps.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(endpointRow.failingSince).toBeNull();
  });

  it('disables an endpoint that answers 410 Gone, and says so with an event', async () => {
    const endpoint = await insertTestEndpoint(deps, 'hooks', receiver.url);
    receiver.secrets = [endpoint.secret];
    receiver.answer = () => 410;
    await note('to a gone receiver');
    await dispatchWebhooks(deps, 'hooks');
    const run = await deliverWebhooks(deps, endpoint.id);
    expect(run.stopped).toBe('disabled');
    const row = await deps.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect([row.enabled, row.disabledReason]).toEqual([false, 'gone']);
    const event = await deps.prisma.inboxEvent.findFirst({ where: { businessId: 'hooks', type: 'webhook_endpoint.disabled' }, orderBy: { id: 'desc' } });
    expect(event?.payload).toMatchObject({ endpointId: endpoint.id, reason: 'gone' });
    expect(event?.payload).not.toHaveProperty('url');
    // Disabled: nothing more is queued or sent.
    await note('after it was disabled');
    await dispatchWebhooks(deps, 'hooks');
    expect((await deliverWebhooks(deps, endpoint.id)).stopped).toBe('leased');
    expect(receiver.received).toHaveLength(1);
  });

  it('sends what waited at once when an endpoint disabled by a 410 is enabled again, in order', async () => {
    const endpoint = await insertTestEndpoint(deps, 'hooks', receiver.url);
    receiver.secrets = [endpoint.secret];
    receiver.answer = () => 500;
    await note('waits 1');
    await note('waits 2');
    await dispatchWebhooks(deps, 'hooks');
    expect((await deliverWebhooks(deps, endpoint.id)).stopped).toBe('waiting');
    // The head's retry is far away when the receiver then answers 410.
    await deps.sql.query(`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE endpoint_id = $1`, [endpoint.id]);
    receiver.answer = () => 410;
    expect((await deliverWebhooks(deps, endpoint.id)).stopped).toBe('disabled');
    await deps.sql.query(`UPDATE webhook_deliveries SET next_attempt_at = now() + interval '12 hours' WHERE endpoint_id = $1 AND status = 'pending'`, [endpoint.id]);
    receiver.answer = () => 200;
    await updateWebhookEndpoint(deps, { principal: { kind: 'service', apiKeyId: 'test' }, businessId: 'hooks', id: endpoint.id, enabled: true });
    const run = await deliverWebhooks(deps, endpoint.id);
    // The two that waited, then the event that said it was disabled (this endpoint takes every type).
    expect([run.delivered, run.stopped]).toEqual([3, 'idle']);
    expect(receiver.accepted().map((e) => [e['type'], (e['data'] as { message: { body: string } | null }).message?.body])).toEqual([
      ['message.created', 'waits 1'],
      ['message.created', 'waits 2'],
      ['webhook_endpoint.disabled', undefined],
    ]);
  });

  it('leaves an endpoint in backoff to its scheduled retry: the sweep does not wake it', async () => {
    const endpoint = await insertTestEndpoint(deps, 'hooks', receiver.url);
    receiver.answer = () => 503;
    await note('in backoff');
    await dispatchWebhooks(deps, 'hooks');
    expect((await deliverWebhooks(deps, endpoint.id)).stopped).toBe('waiting');
    await note('queued behind it');
    await dispatchWebhooks(deps, 'hooks');
    const before = (await queuedJobs(deps.pool)).filter((j) => j.task_identifier === 'deliver_webhooks').length;
    expect(await wakeStrandedDeliverers(deps)).toBe(0);
    expect((await queuedJobs(deps.pool)).filter((j) => j.task_identifier === 'deliver_webhooks').length).toBe(before);
  });

  it('fails deliveries whose secret cannot be opened, with the reason in the delivery log', async () => {
    const endpoint = await insertTestEndpoint(deps, 'hooks', receiver.url);
    await deps.sql.query(`UPDATE webhook_endpoints SET secret_encrypted = 'v1.AAAA.AAAA.AAAA' WHERE id = $1`, [endpoint.id]);
    await note('unsignable');
    await dispatchWebhooks(deps, 'hooks');
    expect((await deliverWebhooks(deps, endpoint.id)).stopped).toBe('waiting');
    expect(receiver.received).toHaveLength(0);
    const [attempt] = await deps.prisma.webhookAttempt.findMany({ where: { endpointId: endpoint.id } });
    expect(attempt!.error).toMatch(/signing secret cannot be opened/);
    expect((await deps.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).failingSince).not.toBeNull();
  });

  it('disables an endpoint failing longer than the configured time', async () => {
    const endpoint = await insertTestEndpoint(deps, 'hooks', receiver.url);
    receiver.answer = () => 500;
    await note('to a failing receiver');
    await dispatchWebhooks(deps, 'hooks');
    expect((await deliverWebhooks(deps, endpoint.id)).stopped).toBe('waiting');
    // Failing since four days ago (the default limit is 3 days).
    await deps.sql.query(`UPDATE webhook_endpoints SET failing_since = now() - interval '4 days' WHERE id = $1`, [endpoint.id]);
    await deps.sql.query(`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE endpoint_id = $1`, [endpoint.id]);
    expect((await deliverWebhooks(deps, endpoint.id)).stopped).toBe('disabled');
    const row = await deps.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect([row.enabled, row.disabledReason]).toEqual([false, 'failing']);
    const event = await deps.prisma.inboxEvent.findFirst({ where: { businessId: 'hooks', type: 'webhook_endpoint.disabled' }, orderBy: { id: 'desc' } });
    expect(event?.payload).toMatchObject({ endpointId: endpoint.id, reason: 'failing' });
  });

  it('gives a delivery up after its retry window and goes on with the next one', async () => {
    const endpoint = await insertTestEndpoint(deps, 'hooks', receiver.url);
    receiver.secrets = [endpoint.secret];
    await note('too old');
    await note('fresh');
    await dispatchWebhooks(deps, 'hooks');
    // The first event was queued four days ago and fails once more: failed for good; the second goes out.
    const [first] = await deps.prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id }, orderBy: { id: 'asc' } });
    await deps.sql.query(`UPDATE webhook_deliveries SET created_at = now() - interval '4 days' WHERE id = $1`, [first!.id]);
    receiver.answer = (_r, n) => (n === 1 ? 500 : 200);
    const run = await deliverWebhooks(deps, endpoint.id);
    expect([run.failed, run.delivered, run.stopped]).toEqual([1, 1, 'idle']);
    expect((await deps.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: first!.id } })).status).toBe('failed');
  });

  it('refuses at delivery time an address the policy forbids (a name that now resolves to loopback)', async () => {
    const strict = { ...deps, outboundWebhooks: { ...deps.outboundWebhooks, allowPrivate: false } };
    const endpoint = await insertTestEndpoint(deps, 'hooks', receiver.url.replace('127.0.0.1', 'localhost'));
    await note('to a rebound name');
    await dispatchWebhooks(deps, 'hooks');
    expect((await deliverWebhooks(strict, endpoint.id)).stopped).toBe('waiting');
    expect(receiver.received).toHaveLength(0);
    const [attempt] = await deps.prisma.webhookAttempt.findMany({ where: { endpointId: endpoint.id } });
    expect(attempt).toMatchObject({ statusCode: null });
    expect(attempt!.error).toMatch(/loopback/);
  });

  it('one deliverer per endpoint: a second run finds the lease taken and leaves the queue to the first', async () => {
    const endpoint = await insertTestEndpoint(deps, 'hooks', receiver.url);
    receiver.secrets = [endpoint.secret];
    let hung = false;
    receiver.answer = () => (hung ? 200 : ((hung = true), 'hang'));
    await note('slow one');
    await note('next one');
    await dispatchWebhooks(deps, 'hooks');
    // The first run holds the lease while the receiver hangs (until the request times out).
    const first = deliverWebhooks(deps, endpoint.id);
    await waitFor('the first request', () => receiver.received.length === 1);
    expect((await deliverWebhooks(deps, endpoint.id)).stopped).toBe('leased');
    const run = await first;
    // The hung request timed out (a failure, retried later); nothing went out of order.
    expect(run.stopped).toBe('waiting');
    expect(receiver.received).toHaveLength(1);
  });
});
