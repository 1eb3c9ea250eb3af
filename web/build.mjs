// Builds the inbox web app: GraphQL Code Generator (web/codegen.ts) types the operations into
// web/src/gql, then Vite (web/vite.config.ts) bundles it into web/dist. Called by
// scripts/ensureGenerated.mjs when web inputs changed, so `npm install`, `npm start` and `npm test`
// serve a current build.
import { tsImport } from 'tsx/esm/api';

/** Runs codegen then `vite build`; `root` is the repository root (ending in /). */
export async function buildWeb(root) {
  const web = new URL('web/', `file://${root.endsWith('/') ? root : `${root}/`}`);
  const { generate } = await import('@graphql-codegen/cli');
  const { default: codegenConfig } = await tsImport(new URL('codegen.ts', web).href, import.meta.url);
  await generate(codegenConfig, true);
  const { build } = await import('vite');
  await build({ configFile: new URL('vite.config.ts', web).pathname, logLevel: 'warn' });
}
