// A worker process killed (SIGKILL) while a webhook request waits for the receiver's answer: the
// event is delivered again by the next worker, with the same webhook-id, and the events behind it
// follow in order. At least once; the receiver dedupes by webhook-id.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNote } from '../../src/domain/conversations/addNote.js';
import { openConversation } from '../../src/domain/conversations/openConversation.js';
import { withWorker } from '../helpers/jobs.js';
import { createBusiness, startTestDeps } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';
import { insertTestEndpoint } from '../helpers/webhookEndpoints.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/workerProcess.js';

describe('a worker killed mid-delivery', () => {
  let t: Awaited<ReturnType<typeof startTestDeps>>;
  let receiver: WebhookReceiver;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    t = await startTestDeps(10, undefined, { outboundWebhooks: { allowPrivate: true, secretGraceHours: 24, disableAfterDays: 3 } });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    await receiver?.close();
    await t?.close();
  });

  it('delivers the interrupted event again with the same webhook-id, then the rest, in order', async () => {
    const { deps } = t;
    await createBusiness(deps, 'crash');
    const location = await deps.prisma.location.create({ data: { businessId: 'crash', name: 'Main' } });
    const { conversation } = await openConversation(deps, { businessId: 'crash', phone: '+14155550102', locationId: location.id });
    const endpoint = await insertTestEndpoint(deps, 'crash', receiver.url);
    receiver.secrets = [endpoint.secret];
    receiver.answer = (_r, n) => (n === 1 ? 'hang' : 200);
    for (let i = 1; i <= 3; i++) await addNote(deps, { principal: null, businessId: 'crash', conversationId: conversation.id, body: `event ${i}` });

    const w = startWorkerProcess(t.db.url, null, { OMEGA_WEBHOOK_ALLOW_PRIVATE: 'true', OMEGA_WORKER_CONCURRENCY: '4', OMEGA_PG_POOL_MAX: '8' });
    worker = w;
    await waitFor('the first request, held by the receiver', () => receiver.received.length === 1, 60_000, w.output);
    const exited = new Promise((r) => w.child.once('exit', r));
    w.child.kill('SIGKILL');
    await exited;

    // The dead worker's lease runs out (moved to now here, as when its 60 s pass).
    await deps.sql.query(`UPDATE webhook_endpoints SET lease_until = now() - interval '1 second' WHERE id = $1`, [endpoint.id]);
    await withWorker(deps, { concurrency: 4, deadAfterSeconds: 60, log: pino({ level: 'silent' }) }, () => waitFor('3 events accepted', () => receiver.accepted().length === 3, 20_000));

    const bodies = receiver.accepted().map((e) => (e['data'] as { message: { body: string } }).message.body);
    expect(bodies).toEqual(['event 1', 'event 2', 'event 3']);
    // The first event went out twice, with one webhook-id: a receiver that dedupes sees it once.
    const firstId = receiver.received[0]!.id;
    expect(receiver.received.filter((r) => r.id === firstId)).toHaveLength(2);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
  }, 90_000);
});
