// `npm run keys -- <command>`: manages API keys straight in the database, with the same domain
// functions the GraphQL mutations use. The database is DATABASE_URL, else the embedded one (which
// must not be running in another process then: pass its URL as DATABASE_URL instead).
//
//   npm run keys -- list [--business <id>] [--all]
//   npm run keys -- create --name <name> [--business <id>] [--expires <ISO 8601 time>]
//   npm run keys -- rotate <key id or prefix>
//   npm run keys -- revoke <key id or prefix>
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfigOrExit } from '../src/config.js';
import { createDeps } from '../src/createDeps.js';
import { openDatabase } from '../src/db/openDatabase.js';
import { createApiKey } from '../src/domain/auth/createApiKey.js';
import { listApiKeys, type ApiKeyListing } from '../src/domain/auth/listApiKeys.js';
import { revokeApiKey } from '../src/domain/auth/revokeApiKey.js';
import { rotateApiKey } from '../src/domain/auth/rotateApiKey.js';
import type { Deps } from '../src/domain/deps.js';
import { DomainError } from '../src/domain/errors.js';

export const USAGE = `usage:
  npm run keys -- list [--business <id>] [--all]
  npm run keys -- create --name <name> [--business <id>] [--expires <ISO 8601 time>]
  npm run keys -- rotate <key id or prefix>
  npm run keys -- revoke <key id or prefix>`;

const iso = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

function table(keys: ApiKeyListing[], now: Date): string[] {
  const rows = keys.map((k) => [
    k.id,
    k.scope,
    k.businessId ?? '*',
    k.name,
    `${k.prefix}…`,
    iso(k.createdAt),
    iso(k.lastUsedAt),
    iso(k.expiresAt),
    k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt <= now ? 'expired' : 'active',
  ]);
  const header = ['id', 'scope', 'business', 'name', 'prefix', 'created', 'last used', 'expires', 'status'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}

/** An id, or a prefix that names exactly one key. */
async function resolveKeyId(deps: Deps, ref: string): Promise<string> {
  if (/^[0-9a-f-]{36}$/i.test(ref)) return ref;
  const matches = (await listApiKeys(deps, { includeInactive: true })).filter((k) => k.prefix.startsWith(ref) || ref.startsWith(k.prefix));
  if (matches.length !== 1) {
    throw new Error(matches.length ? `${JSON.stringify(ref)} matches ${matches.length} keys; use the key id (npm run keys -- list --all)` : `No key with id or prefix ${JSON.stringify(ref)}`);
  }
  return matches[0]!.id;
}

/** Runs one command; returns the exit code. Output goes to `out` (stdout) and `err` (stderr). */
export async function runKeysCommand(deps: Deps, argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { business: { type: 'string' }, name: { type: 'string' }, expires: { type: 'string' }, all: { type: 'boolean' } },
    });
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command, ref, ...rest] = parsed.positionals;
  const { values } = parsed;
  try {
    switch (command) {
      case 'list': {
        const keys = await listApiKeys(deps, { businessId: values.business ?? null, includeInactive: values.all ?? false });
        for (const line of table(keys, deps.clock.now())) out(line);
        return 0;
      }
      case 'create': {
        if (!values.name || ref) break;
        const expiresAt = values.expires ? new Date(values.expires) : null;
        if (expiresAt && Number.isNaN(expiresAt.getTime())) {
          err(`--expires ${JSON.stringify(values.expires)} is not a time; use ISO 8601, e.g. 2027-01-31T00:00:00Z`);
          return 2;
        }
        const created = await createApiKey(deps, { name: values.name, businessId: values.business ?? null, expiresAt });
        out(`created ${values.business ? `business key for ${JSON.stringify(values.business)}` : 'service key'} ${created.id}`);
        out(`key (shown once, store it now): ${created.key}`);
        return 0;
      }
      case 'rotate': {
        if (!ref || rest.length) break;
        const rotated = await rotateApiKey(deps, { id: await resolveKeyId(deps, ref) });
        out(`revoked ${rotated.revokedApiKey.id} (${rotated.revokedApiKey.prefix}…)`);
        out(`created ${rotated.apiKey.id}`);
        out(`key (shown once, store it now): ${rotated.key}`);
        return 0;
      }
      case 'revoke': {
        if (!ref || rest.length) break;
        const revoked = await revokeApiKey(deps, { id: await resolveKeyId(deps, ref) });
        out(`revoked ${revoked.apiKey.id} (${revoked.apiKey.prefix}…) at ${iso(revoked.apiKey.revokedAt)}; sessions ended: ${revoked.revokedSessionIds.length}`);
        return 0;
      }
    }
  } catch (e) {
    err(e instanceof DomainError ? `${e.code}: ${e.message}` : (e as Error).message);
    return 1;
  }
  err(USAGE);
  return 2;
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  let db;
  try {
    db = await openDatabase(config, log);
  } catch (e) {
    console.error((e as Error).message);
    if (!config.databaseUrl) console.error('Is `npm start` running? Then run this with DATABASE_URL set to its database, e.g. postgresql://postgres:omega-embedded@127.0.0.1:54329/omega');
    process.exit(1);
  }
  const deps = await createDeps(db, log, undefined, config);
  const code = await runKeysCommand(
    deps,
    process.argv.slice(2),
    (l) => console.log(l),
    (l) => console.error(l),
  );
  await deps.close();
  await db.close();
  process.exit(code);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  });
}
