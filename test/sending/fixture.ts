// A business ready to send (two locations with senders, an API key), the real app on its own
// database, providers chosen by the test (sandbox, or the real SDKs against msw), and helpers to
// run graphile-worker with our task list and to read what it left behind.
import { Logger, runOnce } from 'graphile-worker';
import type { Channels } from '../../src/channels/types.js';
import type { Clock, Deps } from '../../src/domain/deps.js';
import { taskList } from '../../src/worker/taskList.js';
import { createBusiness, startTestApp, type TestApp, type TestAppOptions } from '../helpers/testApp.js';

export interface SendingFixture extends TestApp {
  businessId: string;
  apiKey: string;
  locationA: string;
  locationB: string;
  /** POST with the business's key; answers status and JSON. */
  post(url: string, body: unknown, key?: string): Promise<{ status: number; json: any }>;
  /** graphile-worker runOnce over our task list, until no job is due (with `workerDeps`: a worker process configured apart). */
  runJobs(workerDeps?: Deps): Promise<void>;
  jobs(): Promise<{ task_identifier: string; key: string | null; run_at: Date; attempts: number; max_attempts: number; payload: any; last_error: string | null }[]>;
  /** Makes every pending job due now (backoff and schedules are database times). */
  makeJobsDue(): Promise<void>;
  message(id: string): Promise<any>;
  events(messageId: string): Promise<any[]>;
  inboxEvents(messageId: string): Promise<any[]>;
}

export async function startSendingFixture(
  options: { channels?: Partial<Channels>; clock?: Clock; maxAttempts?: number; businessId?: string; depsOptions?: TestAppOptions['depsOptions'] } = {},
): Promise<SendingFixture> {
  const t = await startTestApp({ channels: options.channels, clock: options.clock, sending: { maxAttempts: options.maxAttempts ?? 10 }, depsOptions: options.depsOptions });
  const businessId = options.businessId ?? 'spa';
  const { apiKey } = await createBusiness(t.deps, businessId);
  const locationA = (await t.deps.prisma.location.create({
    data: { businessId, name: 'Downtown', externalId: 'downtown', timeZone: 'America/New_York', smsPhoneNumber: '+15005550006', emailFrom: 'downtown@spa.test', emailFromName: 'Downtown Spa' },
  })).id;
  const locationB = (await t.deps.prisma.location.create({
    data: { businessId, name: 'Uptown', externalId: 'uptown', timeZone: 'Europe/Paris', messagingServiceSid: `MG${'b2'.repeat(16)}`, emailFrom: 'uptown@spa.test' },
  })).id;
  const pool = t.deps.pool;
  return {
    ...t,
    businessId,
    apiKey,
    locationA,
    locationB,
    async post(url, body, key = apiKey) {
      const res = await t.app.inject({ method: 'POST', url, headers: { 'x-api-key': key, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
      return { status: res.statusCode, json: res.body ? res.json() : null };
    },
    async runJobs(workerDeps = t.deps) {
      await runOnce({ pgPool: pool, taskList: taskList(workerDeps), noHandleSignals: true, logger: silentLogger });
      // graphile-worker 0.17 records a job's completion or failure without awaiting it: wait until
      // no job is still locked, so the test reads the queue as the worker left it.
      for (let i = 0; i < 500; i++) {
        const { rows } = await pool.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE locked_at IS NOT NULL`);
        if (rows[0].n === 0) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('jobs still locked 5 s after runOnce');
    },
    async jobs() {
      const { rows } = await pool.query(`SELECT t.identifier AS task_identifier, j.key, j.run_at, j.attempts, j.max_attempts, j.payload, j.last_error
           FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id ORDER BY j.id`);
      return rows;
    },
    async makeJobsDue() {
      await pool.query(`UPDATE graphile_worker._private_jobs SET run_at = now() - interval '1 second' WHERE locked_at IS NULL`);
    },
    async message(id) {
      return t.deps.prisma.message.findUniqueOrThrow({ where: { id } });
    },
    async events(messageId) {
      return t.deps.prisma.messageEvent.findMany({ where: { messageId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    },
    async inboxEvents(messageId) {
      const { rows } = await pool.query(`SELECT type, payload FROM inbox_events WHERE message_id = $1 ORDER BY id`, [messageId]);
      return rows;
    },
  };
}

export const silentLogger = new Logger(() => () => undefined);
