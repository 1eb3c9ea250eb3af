// Security headers on every response, set by helmet (the field's library for them), configured once
// here. An API answer (JSON) may load nothing and be framed by nothing: `default-src 'none'`. The
// pages Omega serves (GraphiQL at /graphql, Swagger UI at /docs, the inbox web app at /inbox)
// replace that policy with their own, which allows 'self' and exactly what the page needs, never
// another host: a page that
// reaches for a CDN shows up as a blocked load (test/browser/pages.test.ts).
//
// helmet's middleware is built once and run on the raw response in an onRequest hook (not through
// @fastify/helmet, which builds a new helmet per request), and for the requests Fastify refuses
// before any hook (frameworkErrors). A route's reply.header() of the same name wins over it (Node
// merges setHeader into writeHead, writeHead first); reply.removeHeader() cannot remove it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { isLoopbackHost } from '../config.js';

export type CspDirectives = Record<string, string[]>;

/** The header value of a policy, written as helmet writes it: `name source source;name …`. */
export function contentSecurityPolicy(directives: CspDirectives): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join(';');
}

/** Answers that are data, not pages. */
export const API_CSP_DIRECTIVES: CspDirectives = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Swagger UI (@fastify/swagger-ui's own files, its online validator off): scripts, styles, icons and
 * the API from 'self'. Its one inline style is the <style> inside its small-screen logo's SVG
 * (`.logo_small_svg__cls-2{fill:#fff}…`), allowed by hash; a new swagger-ui that changes it shows
 * as a blocked load in test/browser/pages.test.ts, which prints the new hash.
 */
export const DOCS_CSP_DIRECTIVES: CspDirectives = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export interface SecurityHeaderOptions {
  /**
   * HSTS is sent only when Omega's public URL is https and not on this machine (browsers ignore it
   * over http, and https://localhost pinned for a year would outlive any one project).
   */
  publicBaseUrl: string;
}

/** Sets the headers on a raw response. */
export type SecurityHeaders = (req: IncomingMessage, res: ServerResponse) => void;

export function createSecurityHeaders(options: SecurityHeaderOptions): SecurityHeaders {
  const publicUrl = new URL(options.publicBaseUrl);
  const middleware = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP_DIRECTIVES },
    // A year, for this host only: Omega does not speak for its parent domain's other hosts.
    strictTransportSecurity: publicUrl.protocol === 'https:' && !isLoopbackHost(publicUrl.hostname) ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    xFrameOptions: { action: 'deny' },
  });
  return (req, res) => middleware(req, res, () => undefined);
}

export function registerSecurityHeaders(app: FastifyInstance, headers: SecurityHeaders): void {
  app.addHook('onRequest', (req, reply, done) => {
    headers(req.raw, reply.raw);
    done();
  });
}
