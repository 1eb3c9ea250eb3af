// graphile-worker's lines go through the process's pino logger: JSON, at LOG_LEVEL, with the
// worker's scope (worker, task, job) as fields. Before, it wrote plain text to the console at
// every level whatever LOG_LEVEL said.
import { Writable } from 'node:stream';
import { makeWorkerUtils, Logger } from 'graphile-worker';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../src/db/pool.js';
import type { Deps } from '../../src/domain/deps.js';
import { withWorker } from '../helpers/jobs.js';
import { startTestDeps } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';

interface Line {
  level: number;
  msg: string;
  component?: string;
  workerId?: string;
  taskIdentifier?: string;
  jobId?: string;
  err?: { message: string; stack: string };
  job?: { id: string };
}

/** A pino logger at `level` whose output is kept, line by line. */
function capturingLog(level: string) {
  const raw: string[] = [];
  let pending = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      raw.push(...lines);
      done();
    },
  });
  return { log: pino({ level }, stream), raw };
}

const UUID = '00000000-0000-4000-8000-000000000000';

describe("graphile-worker's log", () => {
  let t: Awaited<ReturnType<typeof startTestDeps>>;
  let deps: Deps;
  let pool: Pool;

  beforeAll(async () => {
    t = await startTestDeps();
    deps = t.deps;
    pool = deps.pool;
  });
  afterAll(() => t.close());

  /** Runs three jobs on a started worker logging to `level`: one logs info, one debug, one fails. */
  async function runJobs(level: string): Promise<{ lines: Line[]; raw: string[] }> {
    const { log, raw } = capturingLog(level);
    const utils = await makeWorkerUtils({ pgPool: pool, logger: new Logger(() => () => undefined) });
    try {
      await withWorker(deps, { concurrency: 2, deadAfterSeconds: 60, log }, async () => {
        const jobs = [
          await utils.addJob('prune_inbox_events', {}), // its task logs "pruned N inbox events" at info
          await utils.addJob('end_snooze', { businessId: 'nobody', conversationId: UUID }), // logs at debug: nothing to do
          await utils.addJob('end_snooze', { businessId: 'nobody', conversationId: 'not-a-uuid' }, { maxAttempts: 1 }), // fails
        ];
        const finished = async () => {
          const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE id = ANY($1::bigint[]) AND attempts = 0`, [jobs.map((j) => j.id)]);
          return rows[0]!.n === 0;
        };
        await waitFor('the worker to attempt its three jobs', finished, 15_000);
      });
    } finally {
      await utils.release();
    }
    return { lines: raw.map((l) => JSON.parse(l) as Line), raw };
  }

  it('writes JSON lines through pino at its level: info and above at info, no debug, scope as fields, errors with their stack', async () => {
    const { lines, raw } = await runJobs('info');
    expect(raw.length).toBeGreaterThan(0);
    for (const line of raw) expect(() => JSON.parse(line), line).not.toThrow();
    expect(lines.every((l) => l.level >= 30)).toBe(true);
    expect(lines.some((l) => l.msg.includes('nothing to do'))).toBe(false);

    const connected = lines.find((l) => l.msg.startsWith('Worker connected and looking for jobs'));
    expect(connected).toMatchObject({ level: 30, component: 'graphile-worker' });
    const pruned = lines.find((l) => l.msg.startsWith('pruned 0 inbox events'));
    expect(pruned).toMatchObject({ level: 30, component: 'graphile-worker', taskIdentifier: 'prune_inbox_events', workerId: expect.any(String), jobId: expect.any(String) });
    expect(lines.find((l) => l.msg.startsWith('Completed task') && l.msg.includes('(prune_inbox_events'))).toMatchObject({ level: 30, workerId: expect.any(String) });
    const failed = lines.find((l) => l.msg.startsWith('Failed task') && l.msg.includes('(end_snooze'));
    expect(failed).toMatchObject({ level: 50, component: 'graphile-worker', err: { message: expect.stringContaining('end_snooze expects a payload') } });
    expect(failed!.err!.stack).toContain('end_snooze');
  });

  it('writes its debug lines at debug', async () => {
    const { lines } = await runJobs('debug');
    expect(lines.find((l) => l.msg.includes('nothing to do'))).toMatchObject({ level: 20, taskIdentifier: 'end_snooze', jobId: expect.any(String) });
    expect(lines.some((l) => l.level === 20 && l.msg.startsWith('Found task'))).toBe(true);
  });

  it('writes nothing at silent', async () => {
    const { raw } = await runJobs('silent');
    expect(raw).toEqual([]);
  });
});
