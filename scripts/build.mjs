// The production build (`npm run build`, after `ensureGenerated.mjs --force`): dist/ is a copy of the
// project tree holding only what run time needs, as JavaScript for Node 20 with source maps:
//   dist/src/**, dist/rest-compat/**   every .ts file of src/ and rest-compat/ (the generated Prisma
//                                      client included), transpiled one to one by esbuild, not bundled
//   dist/src/generated/graphiql/       GraphiQL's files (scripts/buildGraphiQL.mjs)
//   dist/web/dist/                     the inbox web app (web/build.mjs)
//   dist/prisma/migrations/            the SQL migrations (src/db/migrate.ts applies them at start)
//   dist/package.json                  name and version (/health) and "type": "module"
//   dist/main.js, dist/worker/main.js  the entry points: one import of dist/src/main.js,
//                                      dist/src/worker/main.js
// Why a mirror and not a bundle: the code finds its files from its own location
// (`new URL('../../web/dist/', import.meta.url)` in src/http/webApp.ts, and so on: MIGRATIONS_DIR,
// getHealth's package.json, GraphiQL's folder). In dist/ each module keeps its place relative to those
// files, so the same expressions resolve in development (tsx, from src/) and from dist/: one way, no
// "am I built?" switch. A bundle would move every module to dist/main.js and break them. A new file
// read at run time goes into RUNTIME_FILES below (the smoke test, test/deploy/prodBuild.ts, runs dist/
// without src/).
// Transpiling (esbuild) rather than `tsc`: type checking is `npm run typecheck`'s job; esbuild emits
// the same files in a second (tsconfig.json's isolatedModules guarantees per-file transpiling is exact).
// Everything under node_modules stays external: dist/ runs on `npm ci --omit=dev`.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

/** Non-code files read at run time, copied to the same place under dist/. */
const RUNTIME_FILES = ['src/generated/graphiql', 'web/dist', 'prisma/migrations'];

/** The entry points written into dist/ (path in dist/ -> the module it runs, relative to it). */
const ENTRIES = { 'main.js': './src/main.js', 'worker/main.js': '../src/worker/main.js' };

/**
 * What a complete build holds: listed in dist/build.json, which ensureGenerated.mjs checks when a
 * production install (no dev dependencies) relies on dist/ instead of generating.
 */
const REQUIRED = [
  ...Object.keys(ENTRIES),
  'src/main.js',
  'src/worker/main.js',
  'src/generated/prisma/client.js',
  'src/generated/graphiql/manifest.json',
  'web/dist/index.html',
  'prisma/migrations',
  'package.json',
];

/** The .ts files under `dir` (relative to the root), without declarations and tests. */
function sources(dir) {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

async function build() {
  const started = Date.now();
  for (const input of ['src/generated/prisma/client.ts', 'src/generated/graphiql/manifest.json', 'web/dist/index.html']) {
    if (!existsSync(join(root, input))) throw new Error(`${input} is missing: run \`node scripts/ensureGenerated.mjs --force\` first (\`npm run build\` does).`);
  }
  const { build: esbuild } = await import('esbuild');
  rmSync(dist, { recursive: true, force: true });
  await esbuild({
    entryPoints: [...sources('src'), ...sources('rest-compat')],
    outdir: dist,
    outbase: root,
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'warning',
  });
  for (const path of RUNTIME_FILES) cpSync(join(root, path), join(dist, path), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const distPkg = { name: pkg.name, version: pkg.version, private: true, license: pkg.license, type: 'module', description: "Omega's production build (scripts/build.mjs)." };
  writeFileSync(join(dist, 'package.json'), `${JSON.stringify(distPkg, null, 2)}\n`);
  for (const [entry, target] of Object.entries(ENTRIES)) {
    mkdirSync(dirname(join(dist, entry)), { recursive: true });
    writeFileSync(
      join(dist, entry),
      `// Built by scripts/build.mjs: runs ${target.replace(/^(\.\.?\/)+/, 'dist/')} (its source: ${target.replace(/^(\.\.?\/)+/, '').replace(/\.js$/, '.ts')}).\nimport '${target}';\n`,
    );
  }
  const missing = REQUIRED.filter((path) => !existsSync(join(dist, path)));
  if (missing.length) throw new Error(`the build in dist/ is incomplete: ${missing.join(', ')} missing`);
  writeFileSync(join(dist, 'build.json'), `${JSON.stringify({ version: pkg.version, required: REQUIRED }, null, 2)}\n`);
  console.log(`omega: built dist/ in ${Date.now() - started} ms (node dist/main.js, node dist/worker/main.js)`);
}

await build().catch((err) => {
  console.error(`omega: the build failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
