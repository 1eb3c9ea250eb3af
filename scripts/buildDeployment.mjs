// Copies what a deployment ships, from a finished build (`npm run build`), into a folder:
// `node scripts/buildDeployment.mjs <dir>`. Then, in <dir>: `npm ci --omit=dev --omit=optional` and
// `node --enable-source-maps dist/main.js` (the gateway) or `dist/worker/main.js` (a worker).
// The one list of those files: the Dockerfile's build stage and the smoke test of the production
// build (test/deploy/prodBuild.ts) both copy through this script.
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * - package.json, package-lock.json: what `npm ci --omit=dev` installs;
 * - scripts/ensureGenerated.mjs: the postinstall, which checks dist/ there instead of generating;
 * - dist/: the code and every file it reads at run time (scripts/build.mjs).
 */
export const DEPLOYMENT_FILES = ['package.json', 'package-lock.json', 'scripts/ensureGenerated.mjs', 'dist'];

const target = process.argv[2];
if (!target) {
  console.error('usage: node scripts/buildDeployment.mjs <dir>  (after `npm run build`)');
  process.exit(2);
}
const out = resolve(target);
if (!existsSync(join(root, 'dist/build.json'))) {
  console.error('omega: there is no build in dist/: run `npm run build` first.');
  process.exit(1);
}
if (existsSync(out) && readdirSync(out).length > 0) {
  console.error(`omega: ${out} is not empty; a deployment is copied into an empty or new folder.`);
  process.exit(1);
}
for (const path of DEPLOYMENT_FILES) {
  mkdirSync(dirname(join(out, path)), { recursive: true });
  cpSync(join(root, path), join(out, path), { recursive: true });
}
console.log(`omega: deployment copied to ${out} (${DEPLOYMENT_FILES.join(', ')}); next: npm ci --omit=dev --omit=optional there`);
