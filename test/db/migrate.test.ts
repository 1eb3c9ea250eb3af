import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS_DIR, MigrationError, readMigrations } from '../../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { waitFor } from '../helpers/waitFor.js';

describe('migration runner', () => {
  let db: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    pool = new pg.Pool({ connectionString: db.url, max: 3 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('applies every migration to an empty database and records them as Prisma does', async () => {
    const files = await readMigrations();
    const result = await migrate(pool);
    expect(result.applied).toEqual(files.map((f) => f.name));

    const { rows } = await pool.query('SELECT id, checksum, migration_name, finished_at, logs, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name');
    expect(rows).toHaveLength(files.length);
    for (const [i, row] of rows.entries()) {
      const sql = readFileSync(join(MIGRATIONS_DIR, files[i]!.name, 'migration.sql'));
      expect(row.migration_name).toBe(files[i]!.name);
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
    }
    const tables = await pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'businesses',
        'locations',
        'staff',
        'clients',
        'conversations',
        'messages',
        'message_events',
        'voice_calls',
        'api_keys',
        'sessions',
        'onboardings',
        'onboarding_steps',
        'inbox_events',
        'conversation_reads',
      ]),
    );
  });

  it('applies nothing the second time', async () => {
    const result = await migrate(pool);
    expect(result.applied).toEqual([]);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM _prisma_migrations');
    expect(rows[0].n).toBe(result.alreadyApplied);
  });

  it('generates time-ordered UUIDv7 ids', async () => {
    const { rows } = await pool.query(`SELECT omega_uuid_v7()::text AS id FROM generate_series(1, 3)`);
    for (const r of rows) expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const first = (await pool.query(`SELECT omega_uuid_v7()::text AS id`)).rows[0].id as string;
    // The next id once the database clock has passed the first id's millisecond.
    const firstMs = parseInt(first.replace(/-/g, '').slice(0, 12), 16);
    await waitFor(
      'the next millisecond of the database clock',
      async () => (await pool.query(`SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint > $1 AS later`, [firstMs])).rows[0].later,
    );
    const second = (await pool.query(`SELECT omega_uuid_v7()::text AS id`)).rows[0].id as string;
    expect(first < second).toBe(true);
    const ms = parseInt(second.replace(/-/g, '').slice(0, 12), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
  });

  it('refuses to run when an applied migration was changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omega-mig-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const [first] = await readMigrations(dir);
    writeFileSync(join(dir, first!.name, 'migration.sql'), `${first!.sql}\n-- edited\n`);
    await expect(migrate(pool, dir)).rejects.toThrow(/was modified after it was applied/);
  });

  it('records a failing migration with its error and blocks later runs until resolved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omega-mig-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    mkdirSync(join(dir, '29991231000000_broken'));
    writeFileSync(join(dir, '29991231000000_broken', 'migration.sql'), 'CREATE TABLE ok_part (id int);\nSELECT * FROM no_such_table;\n');
    const error = await migrate(pool, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/29991231000000_broken failed: .*no_such_table/);

    const { rows } = await pool.query(`SELECT finished_at, logs FROM _prisma_migrations WHERE migration_name = '29991231000000_broken'`);
    expect(rows[0].finished_at).toBeNull();
    expect(rows[0].logs).toMatch(/no_such_table/);
    // The whole file ran as one transaction: its first statement left nothing behind.
    const leftover = await pool.query(`SELECT to_regclass('ok_part') AS t`);
    expect(leftover.rows[0].t).toBeNull();

    await expect(migrate(pool, dir)).rejects.toThrow(/failed earlier and was not resolved/);
    await pool.query(`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '29991231000000_broken'`);
    await expect(migrate(pool)).resolves.toMatchObject({ applied: [] });
  });
});
