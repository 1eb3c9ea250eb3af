// omega_add_jobs_quiet (migration 20261206020000_ingest_indexes) writes graphile-worker's private
// tables as graphile_worker.add_jobs 0.17.3 does, without its pg_notify. These tests fail when
// graphile-worker changes add_jobs or the tables (an upgrade: compare the new add_jobs with the
// copy and update both), when the copy's rows differ from add_jobs' own, or when it notifies.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addJobs } from '../../src/db/sql/addJobs.js';
import { clientSql, pgSql } from '../../src/db/sqlHandle.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/** md5 of pg_get_functiondef of graphile_worker.add_jobs(job_spec[], boolean) as 0.17.3 creates it. */
const ADD_JOBS_MD5 = '61d9be6bce7b8dd3813e608b202fc69a';

describe('omega_add_jobs_quiet: add_jobs without the NOTIFY', () => {
  let db: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('is a copy of the add_jobs and tables of graphile-worker 0.17.3 (fails when they change)', async () => {
    const { rows } = await pool.query(
      `SELECT md5(pg_get_functiondef('graphile_worker.add_jobs(graphile_worker.job_spec[], boolean)'::regprocedure)) AS add_jobs,
              (SELECT max(id) FROM graphile_worker.migrations) AS migration,
              (SELECT string_agg(table_name || '.' || column_name || ':' || data_type || ':' || coalesce(column_default, '') || ':' || is_generated, ',' ORDER BY table_name, ordinal_position)
                 FROM information_schema.columns WHERE table_schema = 'graphile_worker' AND table_name IN ('_private_jobs', '_private_tasks', '_private_job_queues')) AS columns,
              (SELECT string_agg(tgname, ',') FROM pg_trigger WHERE tgrelid = 'graphile_worker._private_jobs'::regclass) AS triggers`,
    );
    expect(rows[0].add_jobs).toBe(ADD_JOBS_MD5);
    expect(rows[0].migration).toBe(19);
    expect(rows[0].triggers).toBeNull();
    expect(rows[0].columns).toMatchInlineSnapshot(
      `"_private_job_queues.id:integer::NEVER,_private_job_queues.queue_name:text::NEVER,_private_job_queues.locked_at:timestamp with time zone::NEVER,_private_job_queues.locked_by:text::NEVER,_private_job_queues.is_available:boolean::ALWAYS,_private_jobs.id:bigint::NEVER,_private_jobs.job_queue_id:integer::NEVER,_private_jobs.task_id:integer::NEVER,_private_jobs.payload:json:'{}'::json:NEVER,_private_jobs.priority:smallint:0:NEVER,_private_jobs.run_at:timestamp with time zone:now():NEVER,_private_jobs.attempts:smallint:0:NEVER,_private_jobs.max_attempts:smallint:25:NEVER,_private_jobs.last_error:text::NEVER,_private_jobs.created_at:timestamp with time zone:now():NEVER,_private_jobs.updated_at:timestamp with time zone:now():NEVER,_private_jobs.key:text::NEVER,_private_jobs.locked_at:timestamp with time zone::NEVER,_private_jobs.locked_by:text::NEVER,_private_jobs.revision:integer:0:NEVER,_private_jobs.flags:jsonb::NEVER,_private_jobs.is_available:boolean::ALWAYS,_private_tasks.id:integer::NEVER,_private_tasks.identifier:text::NEVER"`,
    );
  });

  /** The jobs as the worker would see them, without ids and times. */
  const snapshot = async (c: pg.ClientBase) =>
    (
      await c.query(
        `SELECT t.identifier, q.queue_name, j.payload::text, j.priority, j.run_at = now() AS run_now, CASE WHEN j.run_at <> now() THEN j.run_at END AS run_at, j.attempts, j.max_attempts, j.key, j.locked_at IS NOT NULL AS locked, j.revision, j.flags, j.last_error
           FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
           LEFT JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id ORDER BY j.key NULLS LAST, j.payload::text`,
      )
    ).rows;

  it('writes the rows add_jobs writes: new jobs, a replaced unlocked job, a running job kept and a new one added', async () => {
    const at = '2030-01-01T00:00:00.000Z';
    const specs = [
      { identifier: 'send_sms', payload: { messageId: 'a' }, queue_name: null, run_at: null, max_attempts: 10, job_key: 'send_sms:a', priority: 1 },
      { identifier: 'new_task', payload: { x: 1 }, queue_name: 'q1', run_at: at, max_attempts: null, job_key: null, priority: null },
      { identifier: 'send_sms', payload: { messageId: 'waiting' }, queue_name: null, run_at: at, max_attempts: 5, job_key: 'send_sms:waiting', priority: null },
      { identifier: 'send_sms', payload: { messageId: 'running' }, queue_name: null, run_at: null, max_attempts: 5, job_key: 'send_sms:running', priority: 0 },
    ];
    const run = async (statement: string) => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query(`SELECT graphile_worker.add_job('send_sms', '{"messageId":"waiting","old":true}', job_key => 'send_sms:waiting', max_attempts => 3)`);
        await c.query(`SELECT graphile_worker.add_job('send_sms', '{"messageId":"running"}', job_key => 'send_sms:running')`);
        await c.query(`UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = 'w', attempts = 1 WHERE key = 'send_sms:running'`);
        const n = (await c.query(statement, [JSON.stringify(specs)])).rows[0].n;
        return { n, rows: await snapshot(c) };
      } finally {
        await c.query('ROLLBACK');
        c.release();
      }
    };
    const theirs = await run(
      `SELECT count(*)::int AS n FROM graphile_worker.add_jobs(ARRAY(
         SELECT (s.identifier, s.payload, s.queue_name, s.run_at, s.max_attempts, s.job_key, s.priority, NULL)::graphile_worker.job_spec
           FROM json_to_recordset($1::json) AS s(identifier text, payload json, queue_name text, run_at timestamptz, max_attempts smallint, job_key text, priority smallint)))`,
    );
    const ours = await run(`SELECT omega_add_jobs_quiet($1::json) AS n`);
    expect(ours).toEqual(theirs);
    expect(ours.n).toBe(4);
    // What was checked: the waiting job replaced (revision 1), the running one keyless and a new one under its key.
    expect(ours.rows.find((r: any) => r.key === 'send_sms:waiting')).toMatchObject({ revision: 1, max_attempts: 5, payload: '{"messageId":"waiting"}' });
    expect(ours.rows.filter((r: any) => r.payload === '{"messageId":"running"}').map((r: any) => [r.key, r.locked])).toEqual([
      ['send_sms:running', false],
      [null, true],
    ]);
    expect(ours.rows.find((r: any) => r.key === 'send_sms:a')).toMatchObject({ priority: 1, max_attempts: 10, run_now: true });
  });

  it('sends no NOTIFY: a listener hears add_jobs commit, and nothing from addJobs', async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (m) => heard.push(String(m.payload)));
    await listener.query('LISTEN "jobs:insert"');
    try {
      const job = (key: string) => ({ task: 'send_sms', payload: { messageId: key }, jobKey: `send_sms:${key}`, runAt: null, maxAttempts: 10 });
      // In a transaction, as queueBatch does.
      const c = await pool.connect();
      const queued = { jobs: 0 };
      try {
        await c.query('BEGIN');
        expect(await addJobs(clientSql(c, new Set(), queued), [job('t1'), job('t2')])).toBe(2);
        await c.query('COMMIT');
      } finally {
        c.release();
      }
      expect(queued.jobs).toBe(2);
      // Autocommit, on a pool handle that wakes nobody.
      expect(await addJobs(pgSql(pool), [job('t3')])).toBe(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(heard).toEqual([]);
      // The listener works: add_job's own NOTIFY arrives.
      await pool.query(`SELECT graphile_worker.add_job('send_sms', '{}', job_key => 'send_sms:t4')`);
      const deadline = Date.now() + 5_000;
      while (heard.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(heard).toHaveLength(1);
      expect(JSON.parse(heard[0]!)).toMatchObject({ count: 1 });
      const { rows } = await pool.query(`SELECT key FROM graphile_worker._private_jobs ORDER BY key`);
      expect(rows.map((r) => r.key)).toEqual(['send_sms:t1', 'send_sms:t2', 'send_sms:t3', 'send_sms:t4']);
    } finally {
      await listener.end();
    }
  });
});
