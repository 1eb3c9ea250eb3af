// Builds GraphiQL's files into src/generated/graphiql/ (git-ignored), from the strings that
// @graphql-yoga/render-graphiql bundles (its public `graphiql` module: GraphiQL, its styles, its
// icon and Monaco's three workers). Run by scripts/ensureGenerated.mjs when package-lock.json or
// this file changes, so at install, not when a page is asked for.
//
// Each file is named by its content (cached for a year) and written beside its Brotli and gzip
// versions, which @fastify/static sends as the browser accepts (src/graphql/graphiql.ts). The
// package's own renderGraphiQL inlines all of it (about 9 MB) into every page, with inline script,
// which a Content-Security-Policy of 'self' would refuse.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const KEYS = ['js', 'css', 'favicon', 'editorWorkerService', 'jsonWorker', 'graphqlWorker'];

/**
 * The page's script, around the bundle. Its options come from the page's JSON element
 * (#graphiql-options), so the file holds nothing page-specific.
 * - Monaco's workers are this server's files (worker-src 'self'), not blob: URLs.
 * - GraphiQL sends its headers editor's headers with queries and mutations, but not over graphql-ws
 *   (a browser cannot set a WebSocket's headers): they go as connectionParams instead, read when a
 *   connection opens, i.e. for the first subscription running. Monaco's API is global for this
 *   (globalAPI), and the headers are the model whose name ends in -request-headers.json;
 *   test/browser/pages.test.ts fails if a new GraphiQL changes either.
 */
function pageScript(bundleJs) {
  return `(function () {
  var options = JSON.parse(document.getElementById('graphiql-options').textContent);
  self['MonacoEnvironment'] = { globalAPI: true, getWorkerUrl: function (_moduleId, label) { return options.workers[label]; } };
})();
${bundleJs};
(function () {
  var options = JSON.parse(document.getElementById('graphiql-options').textContent).graphiql;
  options.connectionParams = function () {
    var models = self.monaco ? self.monaco.editor.getModels() : [];
    var headers = models.filter(function (m) { return /-request-headers\\.json$/.test(m.uri.path); })[0];
    try {
      var parsed = JSON.parse((headers && headers.getValue()) || '{}');
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
    } catch (e) {
      return {};
    }
  };
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);
})();
`;
}

/** Writes the files and manifest.json (what the page links to) into outDir, replacing it whole. */
export async function buildGraphiQL(outDir) {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const missing = KEYS.filter((key) => typeof bundle[key] !== 'string');
  if (missing.length) throw new Error(`@graphql-yoga/render-graphiql/graphiql no longer exports ${missing.join(', ')} as strings; see scripts/buildGraphiQL.mjs`);
  const icon = /^data:image\/[a-z.+-]+;base64,(.+)$/s.exec(bundle.favicon);
  if (!icon) throw new Error('@graphql-yoga/render-graphiql/graphiql: the favicon is no longer a base64 data: URL; see scripts/buildGraphiQL.mjs');

  const building = `${outDir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const add = (base, ext, body) => {
    const name = `${base}.${createHash('sha256').update(body).digest('base64url').slice(0, 16)}.${ext}`;
    writeFileSync(join(building, name), body);
    if (body.length >= 1024) {
      writeFileSync(join(building, `${name}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
      writeFileSync(join(building, `${name}.gz`), gzipSync(body, { level: 9 }));
    }
    return name;
  };
  const manifest = {
    script: add('graphiql', 'js', Buffer.from(pageScript(bundle.js))),
    style: add('graphiql', 'css', Buffer.from(bundle.css)),
    icon: add('favicon', 'ico', Buffer.from(icon[1], 'base64')),
    workers: {
      editorWorkerService: add('editor.worker', 'js', Buffer.from(bundle.editorWorkerService)),
      json: add('json.worker', 'js', Buffer.from(bundle.jsonWorker)),
      graphql: add('graphql.worker', 'js', Buffer.from(bundle.graphqlWorker)),
    },
  };
  writeFileSync(join(building, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  rmSync(outDir, { recursive: true, force: true });
  renameSync(building, outDir);
  return manifest;
}
