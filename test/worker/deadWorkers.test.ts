// Workers beat in worker_heartbeats while they run; release_dead_workers frees the jobs of those
// that went silent (a killed process) so they run again in minutes, not graphile-worker's 4 hours.
import pino from 'pino';
import { makeWorkerUtils } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../src/db/pool.js';
import type { Deps } from '../../src/domain/deps.js';
import { runJobs, silentLogger as silent, withWorker } from '../helpers/jobs.js';
import { startTestDeps } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';

describe('worker liveness: heartbeats and release_dead_workers', () => {
  let t: Awaited<ReturnType<typeof startTestDeps>>;
  let deps: Deps;
  let pool: Pool;
  const heartbeats = async () => (await pool.query<{ worker_id: string }>('SELECT worker_id FROM worker_heartbeats ORDER BY worker_id')).rows.map((r) => r.worker_id);

  beforeAll(async () => {
    t = await startTestDeps();
    deps = t.deps;
    pool = deps.pool;
  });
  afterAll(() => t.close());

  it('records a heartbeat under the id its jobs are locked with, and forgets it on a clean stop', async () => {
    await withWorker(deps, { concurrency: 3, deadAfterSeconds: 60, log: pino({ level: 'silent' }) }, async () => {
      await waitFor('the worker to beat', async () => (await heartbeats()).length >= 1);
      const ids = await heartbeats();
      expect(ids).toHaveLength(1);
      expect(ids[0]).toMatch(/^pool-/);
      // Its deadline: 60 s from its beat.
      const {
        rows: [row],
      } = await pool.query<{ dead_in: number }>(`SELECT extract(epoch FROM dead_at - beat_at)::float8 AS dead_in FROM worker_heartbeats`);
      expect(row!.dead_in).toBe(60);
    });
    expect(await heartbeats()).toEqual([]);
  });

  it("frees the jobs of workers past their deadline, by the crontab's task, and leaves live workers' jobs locked", async () => {
    const utils = await makeWorkerUtils({ pgPool: pool, logger: silent });
    try {
      const dead = await utils.addJob('prune_rate_limit_counters', {}, { jobKey: 'held-by-dead' });
      const alive = await utils.addJob('prune_rate_limit_counters', {}, { jobKey: 'held-by-alive' });
      await pool.query(`UPDATE graphile_worker._private_jobs SET locked_by = $2, locked_at = now() - interval '20 minutes' WHERE id = $1`, [dead.id, 'worker-dead']);
      await pool.query(`UPDATE graphile_worker._private_jobs SET locked_by = $2, locked_at = now() - interval '20 minutes' WHERE id = $1`, [alive.id, 'worker-alive']);
      // Deadlines set by each process's own setting: one past, one a minute ahead though it beat long ago.
      await pool.query(
        `INSERT INTO worker_heartbeats (worker_id, beat_at, dead_at) VALUES ('worker-dead', now() - interval '301 seconds', now() - interval '1 second'), ('worker-alive', now() - interval '1 hour', now() + interval '1 minute')`,
      );

      await utils.addJob('release_dead_workers', {});
      await runJobs(deps, { only: ['release_dead_workers'] });

      const locks = (
        await pool.query<{ key: string; locked_by: string | null }>(`SELECT key, locked_by FROM graphile_worker._private_jobs WHERE key IN ('held-by-dead', 'held-by-alive') ORDER BY key`)
      ).rows;
      expect(locks).toEqual([
        { key: 'held-by-alive', locked_by: 'worker-alive' },
        { key: 'held-by-dead', locked_by: null },
      ]);
      expect(await heartbeats()).toEqual(['worker-alive']);
    } finally {
      await utils.release();
    }
  });
});
