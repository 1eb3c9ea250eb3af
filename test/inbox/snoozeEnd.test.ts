// A snooze with an end time ends by itself: the end_snooze job, scheduled in the transaction of the
// snooze, runs on the real graphile-worker at that time, opens the conversation (it moves from the
// snoozed view to open), and publishes conversation.updated through the inbox event log.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/db/migrate.js';
import { endSnooze } from '../../src/domain/conversations/endSnooze.js';
import { createApiKey } from '../../src/domain/auth/createApiKey.js';
import { buildInbox } from '../helpers/inboxFixture.js';
import { runJobs, withWorker } from '../helpers/jobs.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';

describe('snoozes end on time', () => {
  let t: TestApp;
  let key: string;
  let inbox: Awaited<ReturnType<typeof buildInbox>>;

  beforeAll(async () => {
    t = await startTestApp();
    inbox = await buildInbox(t.deps, 'nap', [
      { client: { firstName: 'Ada', lastName: 'One', phone: '+14155550201' }, messages: [{ direction: 'inbound', body: 'Call me next week', minutesAgo: 30 }] },
      { client: { firstName: 'Bo', lastName: 'Two', phone: '+14155550202' }, messages: [{ direction: 'inbound', body: 'Later', minutesAgo: 20 }] },
      { client: { firstName: 'Cy', lastName: 'Three', phone: '+14155550203' }, messages: [{ direction: 'inbound', body: 'Old snooze', minutesAgo: 10 }] },
    ]);
    key = (await createApiKey(t.deps, { name: 't', businessId: 'nap' })).key;
  });
  afterAll(() => t.close());

  const conv = (i: number) => inbox.conversations[i]!.conversationId;
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { 'x-api-key': key } });
  const setStatus = (i: number, body: object) => t.app.inject({ method: 'POST', url: `/businesses/nap/conversations/${conv(i)}/status`, payload: body, headers: { 'x-api-key': key } });
  const view = async (v: string) => (await get(`/businesses/nap/conversations?view=${v}`)).json().items.map((c: { id: string }) => c.id) as string[];
  const snoozeJobs = async () =>
    (
      await t.deps.pool.query<{ key: string; run_at: Date; payload: object }>(
        `SELECT j.key, j.run_at, j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks tk ON tk.id = j.task_id
        WHERE tk.identifier = 'end_snooze' ORDER BY j.key`,
      )
    ).rows;
  const statusEvents = async (i: number) =>
    (
      await t.deps.pool.query<{ payload: { status: string; reason?: string } }>(`SELECT payload FROM inbox_events WHERE conversation_id = $1 AND type = 'conversation.updated' ORDER BY id`, [conv(i)])
    ).rows.map((r) => r.payload);
  const conversation = (i: number) => t.deps.prisma.conversation.findUniqueOrThrow({ where: { id: conv(i) } });

  it('keeps one job per conversation, at the latest snooze end, and drops it when the snooze is lifted', async () => {
    const first = new Date(Date.now() + 3_600_000);
    const later = new Date(Date.now() + 7_200_000);
    expect((await setStatus(1, { status: 'snoozed', snoozed_until: first.toISOString() })).statusCode).toBe(200);
    expect((await setStatus(1, { status: 'snoozed', snoozed_until: later.toISOString() })).statusCode).toBe(200);
    expect(await snoozeJobs()).toEqual([{ key: `end_snooze:${conv(1)}`, run_at: later, payload: { businessId: 'nap', conversationId: conv(1) } }]);

    expect((await setStatus(1, { status: 'open' })).statusCode).toBe(200);
    expect(await snoozeJobs()).toEqual([]);
    expect((await setStatus(1, { status: 'snoozed', snoozed_until: first.toISOString() })).statusCode).toBe(200);
    expect((await setStatus(1, { status: 'snoozed' })).statusCode).toBe(200); // until the next inbound message
    expect(await snoozeJobs()).toEqual([]);
    expect((await setStatus(1, { status: 'open' })).statusCode).toBe(200);
  });

  it('opens the conversation at the end time on the running worker, moves it to the open view and publishes conversation.updated', async () => {
    const wakes: number[] = [];
    const unwatch = t.deps.events.watch('nap', () => wakes.push(Date.now()));
    const until = new Date(Date.now() + 3_000);
    const snoozed = await setStatus(0, { status: 'snoozed', snoozed_until: until.toISOString() });
    expect(snoozed.json()).toMatchObject({ status: 'snoozed', snoozed_until: until.toISOString() });
    expect(await view('snoozed')).toEqual([conv(0)]);
    expect(await view('open')).not.toContain(conv(0));

    try {
      await withWorker(t.deps, { concurrency: 2, deadAfterSeconds: 60, log: pino({ level: 'silent' }) }, () =>
        waitFor('the worker to end the snooze', async () => (await conversation(0)).status !== 'snoozed', 15_000),
      );
    } finally {
      unwatch();
    }
    const opened = await conversation(0);
    expect(opened).toMatchObject({ status: 'open', snoozedUntil: null });
    // Never before its time.
    expect(opened.updatedAt.getTime()).toBeGreaterThanOrEqual(until.getTime());
    expect(await view('snoozed')).toEqual([]);
    expect(await view('open')).toContain(conv(0));
    expect(await statusEvents(0)).toEqual([
      expect.objectContaining({ status: 'snoozed', snoozedUntil: until.toISOString() }),
      { change: 'status', status: 'open', snoozedUntil: null, pinned: false, muted: false, reason: 'snooze_ended' },
    ]);
    // Subscribers were woken by the job's commit (the same announcement every inbox write makes).
    expect(wakes.some((at) => at >= until.getTime())).toBe(true);
    expect(await snoozeJobs()).toEqual([]);
  });

  it('changes nothing when the job runs after the conversation was snoozed again to a later time', async () => {
    const later = new Date(Date.now() + 3_600_000);
    await setStatus(1, { status: 'snoozed', snoozed_until: later.toISOString() });
    const eventsBefore = await statusEvents(1);
    // The job fires now (as one already running while the snooze was replaced would).
    await t.deps.pool.query(`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE key = $1`, [`end_snooze:${conv(1)}`]);
    await runJobs(t.deps);
    expect(await conversation(1)).toMatchObject({ status: 'snoozed', snoozedUntil: later });
    expect(await statusEvents(1)).toEqual(eventsBefore);
    expect(await endSnooze(t.deps, { businessId: 'nap', conversationId: conv(1) })).toBe(false);
    // Another business cannot end it either.
    await t.deps.prisma.conversation.update({ where: { id: conv(1) }, data: { snoozedUntil: new Date(Date.now() - 1_000) } });
    expect(await endSnooze(t.deps, { businessId: 'other', conversationId: conv(1) })).toBe(false);
    expect(await endSnooze(t.deps, { businessId: 'nap', conversationId: conv(1) })).toBe(true);
    expect(await conversation(1)).toMatchObject({ status: 'open', snoozedUntil: null });
  });

  it('the migration schedules the end of snoozes set before there were end_snooze jobs', async () => {
    const past = new Date(Date.now() - 60_000);
    await t.deps.prisma.conversation.update({ where: { id: conv(2) }, data: { status: 'snoozed', snoozedUntil: past } });
    expect(await snoozeJobs()).toEqual([]);
    await t.deps.pool.query(readFileSync(join(MIGRATIONS_DIR, '20261129000000_end_snoozes', 'migration.sql'), 'utf8'));
    expect(await snoozeJobs()).toEqual([{ key: `end_snooze:${conv(2)}`, run_at: past, payload: { businessId: 'nap', conversationId: conv(2) } }]);
    await runJobs(t.deps);
    expect(await conversation(2)).toMatchObject({ status: 'open', snoozedUntil: null });
    expect(await view('snoozed')).toEqual([]);
  });
});
