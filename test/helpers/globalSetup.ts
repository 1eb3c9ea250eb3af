// Once per `npm test`: find a PostgreSQL server (TEST_DATABASE_URL, DATABASE_URL, else the embedded
// one), build a template database with every migration applied, and hand its name to the test files,
// which clone it (CREATE DATABASE ... TEMPLATE: tens of milliseconds) so each file is isolated.
import { createHash } from 'node:crypto';
import { runMigrations as runWorkerMigrations } from 'graphile-worker';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { migrate, readMigrations } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    templateDatabase: string;
  }
}

let embedded: EmbeddedDatabase | null = null;
let templateToDrop: { serverUrl: string; template: string } | null = null;

export async function setup(project: TestProject): Promise<void> {
  const external = process.env['TEST_DATABASE_URL'] || process.env['DATABASE_URL'];
  if (!external) {
    embedded = await startEmbeddedPostgres({ dataDir: '.data/test-postgres', port: 54330, database: 'postgres' });
  }
  const serverUrl = external ?? embedded!.adminUrl;
  const migrations = await readMigrations();
  const digest = createHash('sha256')
    .update(migrations.map((m) => `${m.name}:${m.checksum}`).join('\n'))
    .digest('hex')
    .slice(0, 12);
  // Per run, so two `npm test` runs on one server (developers, CI) never drop each other's template.
  const template = `omega_test_template_${digest}_${process.pid}`;
  templateToDrop = { serverUrl, template };

  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const templateUrl = withDatabase(serverUrl, template);
  const pool = new pg.Pool({ connectionString: templateUrl, max: 2 });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    await migrate(pool);
    await runWorkerMigrations({ pgPool: pool });
  } finally {
    await pool.end();
  }
  project.provide('pgServerUrl', serverUrl);
  project.provide('templateDatabase', template);
}

export async function teardown(): Promise<void> {
  if (templateToDrop) {
    const admin = new pg.Client({ connectionString: templateToDrop.serverUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${templateToDrop.template} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  await embedded?.stop();
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
