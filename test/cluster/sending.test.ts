// Scale-out of sending: the cluster (2 gateways, 2 worker processes, nginx: scripts/cluster) on one
// database, SMS queued through nginx, sent to one fake Twilio through a forwarder per worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../scripts/cluster/startCluster.js';
import { releaseDeadWorkers } from '../../src/db/sql/workerHeartbeats.js';
import { pgSql } from '../../src/db/sqlHandle.js';
import type { Deps } from '../../src/domain/deps.js';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fakeTwilio.js';
import { createBusiness, startTestDeps } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';
import { startTwilioForwarder, type TwilioForwarder } from './twilioForwarder.js';

const CONCURRENCY = 4;
/** OMEGA_WORKER_DEAD_AFTER_SECONDS: its smallest allowed value. */
const DEAD_AFTER_SECONDS = 30;

describe('sending with two worker processes behind two gateways and nginx', () => {
  let t: Awaited<ReturnType<typeof startTestDeps>>;
  let deps: Deps;
  let fake: FakeTwilio;
  let forwarders: TwilioForwarder[] = [];
  let cluster: Cluster | undefined;
  let apiKey: string;
  let locationId: string;

  beforeAll(async () => {
    t = await startTestDeps(4);
    deps = t.deps;
    ({ apiKey } = await createBusiness(deps, 'spa'));
    locationId = (await deps.prisma.location.create({ data: { businessId: 'spa', name: 'Downtown', timeZone: 'America/New_York', smsPhoneNumber: '+15005550006' } })).id;
    fake = await startFakeTwilio({ latencyMs: 30 });
    forwarders = [await startTwilioForwarder(fake.url), await startTwilioForwarder(fake.url)];
    cluster = await startCluster({
      databaseUrl: t.db.url,
      twilio: (i) => ({ url: forwarders[i]!.url, accountSid: fake.accountSid, authToken: fake.authToken }),
      env: { OMEGA_PACING: 'off', OMEGA_WORKER_CONCURRENCY: String(CONCURRENCY), OMEGA_WORKER_DEAD_AFTER_SECONDS: String(DEAD_AFTER_SECONDS), OMEGA_PG_POOL_MAX: '6' },
    });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await Promise.all(forwarders.map((f) => f.close()));
    await fake?.close();
    await t?.close();
  }, 60_000);

  const send = async (count: number, first: number) => {
    const res = await fetch(`${cluster!.proxyUrl}/sms/send`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ recipients: Array.from({ length: count }, (_, i) => ({ to: `+1415555${String(first + i).padStart(4, '0')}` })), body: 'See you tomorrow', location_id: locationId }),
      signal: AbortSignal.timeout(20_000),
    });
    const json = (await res.json()) as { message_ids: string[] };
    expect(res.status, JSON.stringify(json)).toBe(202);
    return json.message_ids;
  };
  const sentCount = async (ids: string[]) => (await deps.pool.query(`SELECT count(*)::int AS n FROM messages WHERE id = ANY($1::uuid[]) AND status = 'sent'`, [ids])).rows[0].n as number;

  it('spreads sends over both workers, each message reaching Twilio exactly once', async () => {
    const ids = await send(40, 1000);
    await waitFor(
      '40 messages sent',
      async () => (await sentCount(ids)) === 40,
      60_000,
      () => cluster!.output(),
    );
    expect(fake.stats()).toEqual({ creates: 40, sentMessages: 40, duplicates: 0 });
    expect(forwarders[0]!.creates + forwarders[1]!.creates).toBe(40);
    expect(forwarders[0]!.creates, 'w1 sent some').toBeGreaterThan(0);
    expect(forwarders[1]!.creates, 'w2 sent some').toBeGreaterThan(0);
  }, 90_000);

  it('finishes the jobs of a worker killed (-9) mid-drain once it is dead, adopting its in-flight sends', async () => {
    fake.reset();
    const before = forwarders.map((f) => f.creates);
    // w1 gets 3 more answers, then its creates reach Twilio and their answers are held: it is
    // killed with CONCURRENCY sends whose messages exist at Twilio.
    forwarders[0]!.holdAfter = before[0]! + 3;
    const ids = await send(80, 2000);
    await waitFor(
      `w1 holding ${CONCURRENCY} sends`,
      () => forwarders[0]!.held() >= CONCURRENCY,
      60_000,
      () => cluster!.output(),
    );
    await cluster!.workers[0].kill();
    forwarders[0]!.dropHeld();
    const killedAt = Date.now();

    // w2 drains everything else; w1's jobs stay locked by the dead process, their messages `sending`.
    const stuck = async () =>
      (
        await deps.pool.query(
          `SELECT m.id::text, j.locked_by FROM messages m LEFT JOIN graphile_worker._private_jobs j ON j.key = 'send_sms:' || m.id::text WHERE m.id = ANY($1::uuid[]) AND m.status <> 'sent'`,
          [ids],
        )
      ).rows as { id: string; locked_by: string | null }[];
    await waitFor(
      'w2 to drain every job but the dead worker`s',
      async () => {
        const rows = await stuck();
        return rows.length > 0 && new Set(rows.map((r) => r.locked_by)).size === 1 && rows[0]!.locked_by !== null && (await sentCount(ids)) === 80 - rows.length;
      },
      60_000,
      () => cluster!.output(),
    );
    const inFlight = (await stuck()).map((r) => r.id);
    const lockers = [...new Set((await stuck()).map((r) => r.locked_by))];
    expect(inFlight.length).toBe(CONCURRENCY);
    expect(lockers).toHaveLength(1);

    // release_dead_workers (a cron job every minute in the workers) frees them once w1's heartbeat
    // deadline has passed; the test runs the same statement as soon as it has, instead of waiting
    // for the next minute.
    await waitFor(
      'w1 declared dead and its jobs released',
      async () => {
        await releaseDeadWorkers(pgSql(deps.pool));
        const { rows } = await deps.pool.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE locked_by = $1`, [lockers[0]]);
        return rows[0].n === 0;
      },
      (DEAD_AFTER_SECONDS + 30) * 1000,
      () => cluster!.output(),
    );
    // Not released before the dead-after time: w1 beat last at most DEAD_AFTER_SECONDS / 6 before the kill.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(((DEAD_AFTER_SECONDS * 5) / 6) * 1000 - 1000);

    await waitFor(
      'every message sent',
      async () => (await sentCount(ids)) === 80,
      60_000,
      () => cluster!.output(),
    );
    // Exactly once at Twilio: the held sends were found there by w2 and adopted, not sent again.
    expect(fake.stats()).toEqual({ creates: 80, sentMessages: 80, duplicates: 0 });
    const { rows } = await deps.pool.query(
      `SELECT m.id::text, (SELECT e.payload->>'interrupted' FROM message_events e WHERE e.message_id = m.id AND e.type = 'sent') AS interrupted FROM messages m WHERE m.id = ANY($1::uuid[])`,
      [inFlight],
    );
    for (const r of rows as { id: string; interrupted: string | null }[]) expect(r.interrupted, r.id).toBe('adopted');
    expect(forwarders[1]!.creates - before[1]!).toBe(80 - (forwarders[0]!.creates - before[0]!));
  }, 180_000);
});
