// GraphiQL, served entirely from Omega: no request leaves for a CDN, so it works on a machine
// without internet access. The editor comes from @graphql-yoga/render-graphiql, which bundles
// GraphiQL, its styles, its icon and Monaco's three workers as strings. Instead of inlining all of
// that into one 9 MB page (the package's own renderGraphiQL), each part is its own content-hashed,
// immutable, precompressed file under /assets/graphiql/, and the page is a few hundred bytes with no
// inline script, so its Content-Security-Policy allows scripts and workers from 'self' alone.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { contentSecurityPolicy } from '../http/securityHeaders.js';
import { staticAsset, sendAsset, type StaticAsset } from '../http/staticAsset.js';

export const GRAPHIQL_ASSETS_PATH = '/assets/graphiql';

/** What the page opens with. Only the embedded demo prefills headers (its own key): src/main.ts. */
export interface GraphiQLPageOptions {
  title: string;
  /** The tabs GraphiQL opens with when the browser has none stored (else one tab of GraphiQL's welcome text). */
  defaultTabs?: { query: string; headers?: Record<string, string> }[];
  /** The headers of every new tab, as header names and values. */
  headers?: Record<string, string>;
}

/**
 * GraphiQL for the embedded demo (`npm start` on its own database, on a loopback HOST): two tabs,
 * the demo inbox and its live events, with the demo key in their headers.
 */
export function demoGraphiQL(businessId: string, apiKey: string): Omit<GraphiQLPageOptions, 'title'> {
  const headers = { 'X-API-KEY': apiKey };
  return {
    headers,
    defaultTabs: [
      {
        query: [
          `# The demo inbox: its newest conversations, each with`,
          `# its client, location and last message.`,
          `# Run it with Ctrl-Enter or the pink button.`,
          `# The demo key is under Headers, below: only \`npm start\``,
          `# with its embedded database fills it in.`,
          `query DemoInbox {`,
          `  conversations(businessId: ${JSON.stringify(businessId)}, first: 10) {`,
          `    edges {`,
          `      node {`,
          `        conversationId`,
          `        status`,
          `        unreadCount`,
          `        lastMessageAt`,
          `        lastMessagePreview`,
          `        client { name }`,
          `        location { name }`,
          `      }`,
          `    }`,
          `  }`,
          `}`,
          ``,
        ].join('\n'),
        headers,
      },
      {
        query: [
          `# The demo inbox's events as they happen (graphql-ws).`,
          `# Run it, then add a note in a new tab and see it here:`,
          `#   mutation {`,
          `#     addNote(input: { conversationId: "…", body: "Hi" }) { id }`,
          `#   }`,
          `# (a conversationId from the first tab).`,
          `subscription DemoInboxEvents {`,
          `  inboxEvents(businessId: ${JSON.stringify(businessId)}) {`,
          `    type`,
          `    conversationId`,
          `    messageId`,
          `    createdAt`,
          `    payload`,
          `  }`,
          `}`,
          ``,
        ].join('\n'),
        headers,
      },
    ],
  };
}

/**
 * The page's policy: its own script, styles, icon, workers and /graphql (fetch and graphql-ws);
 * the bundle's fonts and small images are data: URLs inside its stylesheet. Monaco and GraphiQL
 * add <style> elements and style attributes at run time, which only 'unsafe-inline' in style-src
 * allows (a style cannot run code; scripts stay 'self' only).
 */
export const GRAPHIQL_CSP = contentSecurityPolicy({
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ['data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
});

/** The strings the package bundles (its internal module, next to its entry point). */
interface GraphiQLBundle {
  js: string;
  css: string;
  favicon: string;
  editorWorkerService: string;
  jsonWorker: string;
  graphqlWorker: string;
}

const BUNDLE_KEYS = ['js', 'css', 'favicon', 'editorWorkerService', 'jsonWorker', 'graphqlWorker'] as const;

function loadBundle(): GraphiQLBundle {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@graphql-yoga/render-graphiql');
  const bundle = require(join(dirname(entry), 'graphiql.js')) as Record<string, unknown>;
  const missing = BUNDLE_KEYS.filter((key) => typeof bundle[key] !== 'string');
  if (missing.length) {
    throw new Error(`@graphql-yoga/render-graphiql no longer bundles ${missing.join(', ')} as strings; pin the version package.json names (see src/graphql/graphiql.ts)`);
  }
  return bundle as unknown as GraphiQLBundle;
}

interface GraphiQLAssets {
  /** By file name (with its content hash), as served under GRAPHIQL_ASSETS_PATH. */
  files: Map<string, StaticAsset>;
  script: string;
  style: string;
  icon: string;
  /** Monaco's workers by the label it asks for. */
  workers: Record<'editorWorkerService' | 'json' | 'graphql', string>;
}

/**
 * Reads the bundle and names its files by content (a new package version gets new names, so the
 * files can be cached for a year). The script reads the page's options from a JSON element, sets
 * Monaco's worker URLs, then runs the bundle and renders; it holds nothing page-specific.
 */
function buildAssets(): GraphiQLAssets {
  const bundle = loadBundle();
  const files = new Map<string, StaticAsset>();
  const add = (base: string, ext: string, type: string, body: Buffer): string => {
    const name = `${base}.${createHash('sha256').update(body).digest('base64url').slice(0, 16)}.${ext}`;
    files.set(name, staticAsset(body, type));
    return `${GRAPHIQL_ASSETS_PATH}/${name}`;
  };
  const js = 'text/javascript; charset=utf-8';
  const workers = {
    editorWorkerService: add('editor.worker', 'js', js, Buffer.from(bundle.editorWorkerService)),
    json: add('json.worker', 'js', js, Buffer.from(bundle.jsonWorker)),
    graphql: add('graphql.worker', 'js', js, Buffer.from(bundle.graphqlWorker)),
  };
  const iconMatch = /^data:([^;,]+);base64,(.*)$/s.exec(bundle.favicon);
  const icon = iconMatch ? add('favicon', 'ico', iconMatch[1]!, Buffer.from(iconMatch[2]!, 'base64')) : bundle.favicon;
  const script = add(
    'graphiql',
    'js',
    js,
    Buffer.from(
      [
        '(function () {',
        "  var options = JSON.parse(document.getElementById('graphiql-options').textContent);",
        "  self['MonacoEnvironment'] = { globalAPI: true, getWorkerUrl: function (_moduleId, label) { return options.workers[label]; } };",
        '})();',
        bundle.js,
        ';',
        '(function () {',
        "  var options = JSON.parse(document.getElementById('graphiql-options').textContent).graphiql;",
        // GraphiQL sends its headers editor's headers with queries and mutations, but not over
        // graphql-ws (a browser cannot set a WebSocket's headers): there they go as connectionParams,
        // read when a connection opens (one opens for the first running subscription).
        '  options.connectionParams = function () {',
        "    var models = self.monaco ? self.monaco.editor.getModels() : [];",
        "    var headers = models.filter(function (m) { return /-request-headers\\.json$/.test(m.uri.path); })[0];",
        '    try {',
        "      var parsed = JSON.parse((headers && headers.getValue()) || '{}');",
        "      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};",
        '    } catch (e) {',
        '      return {};',
        '    }',
        '  };',
        "  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);",
        '})();',
        '',
      ].join('\n'),
    ),
  );
  const style = add('graphiql', 'css', 'text/css; charset=utf-8', Buffer.from(bundle.css));
  return { files, script, style, icon, workers };
}

/** JSON that is safe inside a <script> element: no "</script>", no "<!--", no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface GraphiQL {
  /** Answers a browser's GET of the GraphQL endpoint with the page. */
  sendPage(reply: FastifyReply): Promise<FastifyReply>;
}

/**
 * Registers the asset route and returns the page. The bundle (about 9 MB of JavaScript) is read on
 * the first request for the page or an asset, not at start.
 */
export function registerGraphiQL(app: FastifyInstance, options: GraphiQLPageOptions & { endpoint: string }): GraphiQL {
  let assets: GraphiQLAssets | undefined;
  const load = (): GraphiQLAssets => (assets ??= buildAssets());
  let page: Buffer | undefined;
  const render = (): Buffer => {
    if (page) return page;
    const { script, style, icon, workers } = load();
    const pageOptions = {
      workers,
      graphiql: {
        title: options.title,
        endpoint: options.endpoint,
        subscriptionsProtocol: 'WS',
        ...(options.defaultTabs
          ? { defaultTabs: options.defaultTabs.map((tab) => ({ query: tab.query, ...(tab.headers ? { headers: JSON.stringify(tab.headers, null, 2) } : {}) })) }
          : {}),
        ...(options.headers ? { defaultHeaders: JSON.stringify(options.headers, null, 2) } : {}),
      },
    };
    page = Buffer.from(
      [
        '<!doctype html>',
        '<html lang="en">',
        '<head>',
        '<meta charset="utf-8">',
        `<title>${escapeHtml(options.title)}</title>`,
        `<link rel="icon" href="${escapeHtml(icon)}">`,
        `<link rel="stylesheet" href="${escapeHtml(style)}">`,
        '</head>',
        '<body id="body" class="no-focus-outline">',
        '<noscript>GraphiQL needs JavaScript.</noscript>',
        '<div id="root"></div>',
        `<script type="application/json" id="graphiql-options">${scriptJson(pageOptions)}</script>`,
        `<script src="${escapeHtml(script)}"></script>`,
        '</body>',
        '</html>',
        '',
      ].join('\n'),
    );
    return page;
  };

  app.get<{ Params: { file: string } }>(`${GRAPHIQL_ASSETS_PATH}/:file`, { schema: { hide: true }, config: { auth: 'none' } }, async (req, reply) => {
    const asset = load().files.get(req.params.file);
    if (!asset) {
      return reply.status(404).send({ detail: `No GraphiQL asset ${JSON.stringify(req.params.file.slice(0, 80))}; the page names its current files (reload it).`, code: 'NOT_FOUND' });
    }
    return sendAsset(req, reply, asset, { immutable: true });
  });

  return {
    async sendPage(reply) {
      // The page can carry the demo key: never stored by a cache.
      return reply
        .header('content-security-policy', GRAPHIQL_CSP)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(render());
    },
  };
}
