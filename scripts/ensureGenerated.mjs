// Generates what the code needs but git does not hold, each only when its inputs changed since the
// last run, so `npm start` and `npm test` stay fast:
// - `prisma generate` (client + Pothos types into src/generated) when prisma/schema.prisma or
//   package-lock.json changed. Offline: the CLI is pointed at a stand-in schema engine, which
//   generate does not use (see README "Prisma offline").
// - GraphiQL's files (src/generated/graphiql, scripts/buildGraphiQL.mjs) when package-lock.json or
//   the build script changed.
// - The inbox web app (web/dist, web/build.mjs: codegen then vite build) when a web source
//   (web/** but dist, the generated src/gql and the unit tests *.test.ts, which are not part of the
//   bundle), schema.graphql or package-lock.json changed. Vite
//   and the codegen are dev dependencies: without them this step is skipped with a message.
// Without the dev dependencies at all (a production install, `npm ci --omit=dev`), nothing is
// generated: a complete build in dist/ is required instead (see below).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const force = process.argv.includes('--force');

// A production install (`npm ci --omit=dev --omit=optional` in a deployment copied by
// scripts/buildDeployment.mjs, as the Dockerfile does) has neither the sources (prisma/schema.prisma)
// nor the prisma CLI, and nothing to generate: dist/ holds it all (scripts/build.mjs). There, check
// the build is complete and stop; without a complete build, fail loudly.
if (!existsSync(`${root}prisma/schema.prisma`) || !existsSync(`${root}node_modules/prisma/package.json`)) {
  const manifest = `${root}dist/build.json`;
  const missing = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).required.filter((path) => !existsSync(`${root}dist/${path}`)) : ['dist/build.json'];
  if (missing.length === 0) {
    console.log('omega: no sources or no prisma CLI here: nothing generated, the build in dist/ is used (node dist/main.js, node dist/worker/main.js)');
    process.exit(0);
  }
  console.error(
    `omega: cannot generate the Prisma client, GraphiQL's files and the web app: prisma/schema.prisma or the prisma CLI (a dev dependency) is missing, and there is no complete build in dist/ (missing: ${missing.join(', ')}). Install with the dev dependencies (\`npm ci\`), or copy a complete build (\`npm run build\`, then \`node scripts/buildDeployment.mjs <dir>\`) before \`npm ci --omit=dev --omit=optional\`.`,
  );
  process.exit(1);
}

/** True (and the stamp written by `done`) when the inputs' digest differs from the stamp's, or the output is missing. */
function stale(stampName, inputs, output, extra = '') {
  const stamp = `${root}src/generated/${stampName}`;
  const digest = createHash('sha256')
    .update(inputs.map((f) => (existsSync(root + f) ? readFileSync(root + f) : '')).join('\0') + extra)
    .digest('hex');
  const isStale = force || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest || !existsSync(root + output);
  return { isStale, done: () => writeFileSync(stamp, digest) };
}

const prisma = stale('.schema-sha256', ['prisma/schema.prisma', 'package-lock.json'], 'src/generated/prisma/client.ts');
if (prisma.isStale) {
  execFileSync(process.execPath, [`${root}node_modules/prisma/build/index.js`, 'generate', '--no-hints'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  prisma.done();
}

const graphiql = stale('.graphiql-sha256', ['package-lock.json', 'scripts/buildGraphiQL.mjs'], 'src/generated/graphiql/manifest.json');
if (graphiql.isStale) {
  const { buildGraphiQL } = await import('./buildGraphiQL.mjs');
  mkdirSync(`${root}src/generated`, { recursive: true });
  await buildGraphiQL(`${root}src/generated/graphiql`);
  graphiql.done();
}

/**
 * web/**'s source files (relative to the root, sorted), without the build output, the generated types
 * and the unit tests (`*.test.ts`: not in the bundle, so editing one does not rebuild the app).
 */
function webSources(dir = 'web') {
  if (!existsSync(root + dir)) return [];
  return readdirSync(root + dir)
    .sort()
    .flatMap((name) => {
      const path = `${dir}/${name}`;
      if (path === 'web/dist' || path === 'web/src/gql' || name === 'node_modules') return [];
      if (statSync(root + path).isDirectory()) return webSources(path);
      return /\.test\.tsx?$/.test(name) ? [] : [path];
    });
}

// The app also bundles these modules of the gateway's (one rule for both: the SMS segment count).
const SHARED_WITH_WEB = ['src/domain/sending/countSmsSegments.ts'];
const sources = [...webSources(), ...SHARED_WITH_WEB];
// The file names are part of the digest too: a renamed or deleted file changes it.
const web = stale('.web-sha256', [...sources, 'schema.graphql', 'package-lock.json'], 'web/dist/index.html', sources.join('\0'));
if (web.isStale && existsSync(`${root}web`)) {
  if (!existsSync(`${root}node_modules/vite/package.json`) || !existsSync(`${root}node_modules/@graphql-codegen/cli/package.json`)) {
    console.warn(
      'omega: the inbox web app (web/) was not built: its build tools (vite, @graphql-codegen/cli) are dev dependencies and not installed here. Run `npm install` with dev dependencies, then `npm run generate`.',
    );
  } else {
    const { buildWeb } = await import('../web/build.mjs');
    mkdirSync(`${root}src/generated`, { recursive: true });
    await buildWeb(root);
    web.done();
  }
}
