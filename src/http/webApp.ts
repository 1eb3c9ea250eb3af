// The inbox web app (web/, built by Vite into web/dist/): served by the gateway, same origin as the
// API, so its only credential is the httpOnly session cookie.
// - `/` redirects to `/inbox`; `/inbox` and every path under it answer the app's index.html (the
//   history fallback of its client-side routes), never cached without asking (`no-cache`).
// - Its content-hashed files under /assets/app/ are served by @fastify/static, as GraphiQL's are
//   (src/graphql/graphiql.ts): one route per file found at start, a year and immutable, Brotli or
//   gzip from the precompressed siblings Vite's build writes. Any other name is the app's JSON 404.
// - The fallback is /inbox's alone: every other path (/graphql, /docs, /health, the REST routes)
//   keeps its own JSON 404 and 405.
// Registered before the rate limiter, like GraphiQL's files: public, and fetched by every page load.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { contentSecurityPolicy } from './securityHeaders.js';

export const WEB_APP_PATH = '/inbox';
export const WEB_APP_ASSETS_PATH = '/assets/app';

/**
 * `npm run generate` (npm install, npm start, npm test) builds the app here; found from this file, so
 * from src/ in development and from dist/ in a build (scripts/build.mjs copies it to the same place).
 */
export const DEFAULT_WEB_APP_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/**
 * The app's policy: its scripts, styles, images, fonts and /graphql (fetch and graphql-ws) from
 * 'self' only. React sets style attributes, which only 'unsafe-inline' in style-src allows (a
 * style cannot run code; scripts stay 'self' only); small images may be data: URLs.
 */
export const WEB_APP_CSP = contentSecurityPolicy({
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'manifest-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
});

const NOT_BUILT_PAGE = [
  '<!doctype html>',
  '<html lang="en">',
  '<meta charset="utf-8">',
  '<title>Omega: the inbox is not built</title>',
  '<h1>The inbox web app is not built</h1>',
  '<p>Build it with <code>npm run generate</code> (or <code>npm run build</code> for production), then restart Omega.',
  '',
].join('\n');

export interface WebAppOptions {
  /** The built app: index.html and assets/app/. Default DEFAULT_WEB_APP_DIR. */
  dir: string;
  /** PUBLIC_BASE_URL's path ('' at the root), before the URL `/` redirects to. */
  basePath: string;
}

export async function registerWebApp(app: FastifyInstance, options: WebAppOptions): Promise<void> {
  const indexFile = join(options.dir, 'index.html');
  const index = existsSync(indexFile) ? readFileSync(indexFile) : null;
  const assetsDir = join(options.dir, WEB_APP_ASSETS_PATH);
  if (existsSync(assetsDir)) {
    await app.register(fastifyStatic, {
      root: assetsDir,
      prefix: `${WEB_APP_ASSETS_PATH}/`,
      // One route per file, made now; any other name is the app's own 404.
      wildcard: false,
      globIgnore: ['*.br', '*.gz'],
      preCompressed: true,
      immutable: true,
      maxAge: '365d',
      index: false,
      decorateReply: false,
    });
  }

  const sendIndex = (reply: FastifyReply): FastifyReply => {
    if (!index) return reply.status(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    return reply.header('content-security-policy', WEB_APP_CSP).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index);
  };
  const route = { schema: { hide: true } };
  app.get('/', route, async (_req, reply) => reply.redirect(`${options.basePath}${WEB_APP_PATH}`, 302));
  app.get(WEB_APP_PATH, route, async (_req, reply) => sendIndex(reply));
  app.get(`${WEB_APP_PATH}/*`, route, async (_req, reply) => sendIndex(reply));
}
