// GraphiQL, served entirely from Omega: no request leaves for a CDN, so it works on a machine
// without internet access. Its files (GraphiQL, styles, icon, Monaco's workers, from
// @graphql-yoga/render-graphiql) are built at install into src/generated/graphiql/ by
// scripts/buildGraphiQL.mjs, content-hashed and beside their Brotli and gzip versions; they are
// served here by @fastify/static for a year (immutable). The page is a few hundred bytes with no
// inline script, so its Content-Security-Policy allows scripts and workers from 'self' alone.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLoopbackRequest } from '../http/loopbackRequest.js';
import { contentSecurityPolicy } from '../http/securityHeaders.js';
import { appendVary } from '../http/vary.js';

export const GRAPHIQL_ASSETS_PATH = '/assets/graphiql';

// Found from this file: src/generated/graphiql in development, dist/src/generated/graphiql in a build
// (scripts/build.mjs copies it to the same place).
const GENERATED_DIR = fileURLToPath(new URL('../generated/graphiql/', import.meta.url));

/** What the page opens with. */
export interface GraphiQLPageOptions {
  /** Trusted text: GraphiQL renders it as HTML in its corner. */
  title: string;
  /** The tabs GraphiQL opens with when the browser has none stored (else one tab of GraphiQL's welcome text). */
  defaultTabs?: { query: string; headers?: Record<string, string> }[];
  /** The headers of every new tab, and of the headers editor when a stored tab has none. */
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
          `    kind`,
          `    cursor`,
          `    createdAt`,
          `    conversation { id status unreadCount lastMessagePreview }`,
          `    message { id channel direction status body }`,
          `    ... on MessageStatusChangedEvent { status previousStatus errorCode }`,
          `    ... on ConversationUpdatedEvent { change conversationStatus assigneeId }`,
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
 * allows (a style cannot run code; scripts stay 'self' only). The workers run under their own
 * file's policy (the API one: they load nothing).
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

interface Manifest {
  script: string;
  style: string;
  icon: string;
  workers: Record<'editorWorkerService' | 'json' | 'graphql', string>;
}

function readManifest(): Manifest {
  try {
    return JSON.parse(readFileSync(`${GENERATED_DIR}manifest.json`, 'utf8')) as Manifest;
  } catch (err) {
    throw new Error(`GraphiQL's files are missing from ${GENERATED_DIR}; run \`npm run generate\` (npm install, npm start and npm test build them)`, { cause: err });
  }
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

function renderPage(manifest: Manifest, options: GraphiQLPageOptions & { endpoint: string; assets: string }): Buffer {
  const asset = (name: string) => `${options.assets}/${name}`;
  const pageOptions = {
    workers: { editorWorkerService: asset(manifest.workers.editorWorkerService), json: asset(manifest.workers.json), graphql: asset(manifest.workers.graphql) },
    graphiql: {
      title: options.title,
      endpoint: options.endpoint,
      subscriptionsProtocol: 'WS',
      // Keys typed into the headers editor stay in the page: not in localStorage, where every
      // later page of this origin (and a later Omega on the same port) would find them.
      shouldPersistHeaders: false,
      ...(options.defaultTabs ? { defaultTabs: options.defaultTabs.map((tab) => ({ query: tab.query, ...(tab.headers ? { headers: JSON.stringify(tab.headers, null, 2) } : {}) })) } : {}),
      ...(options.headers ? { defaultHeaders: JSON.stringify(options.headers, null, 2) } : {}),
    },
  };
  return Buffer.from(
    [
      '<!doctype html>',
      '<html lang="en">',
      '<head>',
      '<meta charset="utf-8">',
      `<title>${escapeHtml(options.title)}</title>`,
      `<link rel="icon" href="${escapeHtml(asset(manifest.icon))}">`,
      `<link rel="stylesheet" href="${escapeHtml(asset(manifest.style))}">`,
      '</head>',
      '<body id="body" class="no-focus-outline">',
      '<noscript>GraphiQL needs JavaScript.</noscript>',
      '<div id="root"></div>',
      `<script type="application/json" id="graphiql-options">${scriptJson(pageOptions)}</script>`,
      `<script src="${escapeHtml(asset(manifest.script))}"></script>`,
      '</body>',
      '</html>',
      '',
    ].join('\n'),
  );
}

export interface GraphiQL {
  /** Answers a browser's GET of the GraphQL endpoint with the page. */
  sendPage(req: FastifyRequest, reply: FastifyReply): FastifyReply;
}

export interface GraphiQLOptions {
  title: string;
  /** The GraphQL endpoint, as a path of PUBLIC_BASE_URL (whose path is `basePath`). */
  endpoint: string;
  /** PUBLIC_BASE_URL's path ('' at the root), before every URL the page names. */
  basePath: string;
  /** The embedded demo's tabs and key, shown only to requests from this machine to a loopback name. */
  demo?: Omit<GraphiQLPageOptions, 'title'>;
}

/**
 * Serves GraphiQL's files under GRAPHIQL_ASSETS_PATH and returns the page. Register it before the
 * rate limiter: the files are public, immutable and fetched by every page load.
 */
export async function registerGraphiQL(app: FastifyInstance, options: GraphiQLOptions): Promise<GraphiQL> {
  const manifest = readManifest();
  await app.register(fastifyStatic, {
    root: GENERATED_DIR,
    prefix: `${GRAPHIQL_ASSETS_PATH}/`,
    // One route per file, made now; any other name is the app's own 404.
    wildcard: false,
    globIgnore: ['*.br', '*.gz', 'manifest.json'],
    preCompressed: true,
    immutable: true,
    maxAge: '365d',
    index: false,
    decorateReply: false,
  });
  const page = { title: options.title, endpoint: `${options.basePath}${options.endpoint}`, assets: `${options.basePath}${GRAPHIQL_ASSETS_PATH}` };
  const plain = renderPage(manifest, page);
  const demo = options.demo ? renderPage(manifest, { ...page, ...options.demo }) : undefined;
  return {
    sendPage(req, reply) {
      // The same URL answers data (by Accept), and the demo page carries a key: never stored by a cache.
      return appendVary(reply, 'Accept')
        .header('content-security-policy', GRAPHIQL_CSP)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(demo && isLoopbackRequest(req.raw) ? demo : plain);
    },
  };
}
