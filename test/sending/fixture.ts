// A business ready to send (two locations with senders, an API key), the real app on its own
// database, providers chosen by the test (sandbox, or the real SDKs against msw), and helpers to
// run graphile-worker with our task list and to read what it left behind.
import type { Channels } from '../../src/channels/types.js';
import type { PacingConfig } from '../../src/config.js';
import type { Clock, Deps } from '../../src/domain/deps.js';
import { makeJobsDue, queuedJobs, runJobs } from '../helpers/jobs.js';
import { createBusiness, startTestApp, type TestApp, type TestAppOptions } from '../helpers/testApp.js';

export interface SendingFixture extends TestApp {
  businessId: string;
  apiKey: string;
  locationA: string;
  locationB: string;
  /** POST with the business's key; answers status and JSON. */
  post(url: string, body: unknown, key?: string): Promise<{ status: number; json: any }>;
  /** helpers/jobs runJobs: until no job is due (with `workerDeps`: a worker process configured apart). */
  runJobs(workerDeps?: Deps): Promise<void>;
  jobs(): ReturnType<typeof queuedJobs>;
  /** Makes every pending job due now (backoff and schedules are database times). */
  makeJobsDue(): Promise<void>;
  message(id: string): Promise<any>;
  events(messageId: string): Promise<any[]>;
  inboxEvents(messageId: string): Promise<any[]>;
}

export async function startSendingFixture(
  options: { channels?: Partial<Channels>; clock?: Clock; maxAttempts?: number; businessId?: string; depsOptions?: TestAppOptions['depsOptions']; pacing?: PacingConfig } = {},
): Promise<SendingFixture> {
  const t = await startTestApp({
    channels: options.channels,
    clock: options.clock,
    sending: { maxAttempts: options.maxAttempts ?? 10, ...(options.pacing ? { pacing: options.pacing } : {}) },
    depsOptions: options.depsOptions,
  });
  const businessId = options.businessId ?? 'spa';
  const { apiKey } = await createBusiness(t.deps, businessId);
  const locationA = (
    await t.deps.prisma.location.create({
      data: { businessId, name: 'Downtown', externalId: 'downtown', timeZone: 'America/New_York', smsPhoneNumber: '+15005550006', emailFrom: 'downtown@spa.test', emailFromName: 'Downtown Spa' },
    })
  ).id;
  const locationB = (
    await t.deps.prisma.location.create({
      data: { businessId, name: 'Uptown', externalId: 'uptown', timeZone: 'Europe/Paris', messagingServiceSid: `MG${'b2'.repeat(16)}`, emailFrom: 'uptown@spa.test' },
    })
  ).id;
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
    runJobs: (workerDeps = t.deps) => runJobs(workerDeps),
    jobs: () => queuedJobs(pool),
    makeJobsDue: () => makeJobsDue(pool),
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
