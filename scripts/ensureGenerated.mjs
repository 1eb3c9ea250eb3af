// Runs `prisma generate` (client + Pothos types into src/generated) only when prisma/schema.prisma
// changed since the last run, so `npm start` and `npm test` stay fast. Offline: the CLI is pointed at
// a stand-in schema engine, which generate does not use (see README "Prisma offline").
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const stamp = `${root}src/generated/.schema-sha256`;
const inputs = ['prisma/schema.prisma', 'package-lock.json'].map((f) => (existsSync(root + f) ? readFileSync(root + f) : ''));
const digest = createHash('sha256').update(inputs.join('\0')).digest('hex');
const force = process.argv.includes('--force');

if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest && existsSync(`${root}src/generated/prisma/client.ts`)) {
  process.exit(0);
}
execFileSync(process.execPath, [`${root}node_modules/prisma/build/index.js`, 'generate', '--no-hints'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
writeFileSync(stamp, digest);
