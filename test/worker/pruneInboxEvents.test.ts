import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '../../src/createDeps.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import type { Deps } from '../../src/domain/deps.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { runJobs } from '../helpers/jobs.js';

describe('prune_inbox_events task', () => {
  let db: TestDatabase;
  let pool: Pool;
  let deps: Deps & { close(): Promise<void> };

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool(db.url, 4, () => undefined);
    deps = await createDeps({ url: db.url, pool }, { warn: () => undefined });
    await deps.prisma.business.create({ data: { id: 'p', name: 'P' } });
  });
  afterAll(async () => {
    await deps.close();
    await pool.end();
    await db.drop();
  });

  it('deletes events past the 30-day retention and keeps the rest, run by graphile-worker', async () => {
    await pool.query(
      `INSERT INTO inbox_events (business_id, type, created_at)
       SELECT 'p', 'conversation.updated', now() - make_interval(days => d) FROM unnest(ARRAY[45, 31, 29, 1, 0]) AS d`,
    );
    await pool.query(`SELECT graphile_worker.add_job('prune_inbox_events', '{}'::json)`);
    await runJobs(deps);

    const { rows } = await pool.query(`SELECT extract(day FROM now() - created_at)::int AS age FROM inbox_events ORDER BY id`);
    expect(rows.map((r) => r.age)).toEqual([29, 1, 0]);
    const jobs = await pool.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs`);
    expect(jobs.rows[0].n).toBe(0);
  });
});
