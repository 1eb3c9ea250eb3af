// Which browser origins may use Omega's credentials: the one rule behind CORS (cors.ts), the check
// of cookie-authenticated requests (csrf.ts) and the graphql-ws upgrade (app.ts).
//
// Same-origin pages (the ones Omega serves, or anything at PUBLIC_BASE_URL) always may; any other
// origin only when it is listed in OMEGA_CORS_ORIGINS. A request without an Origin header did not
// come from another site's page (browsers send Origin on every cross-origin request that can change
// something, and on every WebSocket handshake); servers and command-line clients send none.
import type { IncomingHttpHeaders } from 'node:http';

export interface OriginPolicy {
  /** Origins listed in OMEGA_CORS_ORIGINS, as browsers send them. */
  readonly corsOrigins: readonly string[];
  /** True when `origin` is listed (cross-origin access with credentials). */
  isListed(origin: string): boolean;
  /** True when `origin` is this service itself: PUBLIC_BASE_URL's origin, or the scheme and host the request was sent to. */
  isSameOrigin(origin: string, host: string | undefined, protocol: 'http' | 'https'): boolean;
  /**
   * The request's Origin when a browser page of an origin that may not use credentials sent it;
   * null when it may (same origin, listed) or when no browser origin is named.
   */
  foreignOrigin(headers: IncomingHttpHeaders, protocol: 'http' | 'https'): string | null;
}

export function createOriginPolicy(options: { corsOrigins: readonly string[]; publicBaseUrl: string }): OriginPolicy {
  const listed = new Set(options.corsOrigins);
  const publicOrigin = new URL(options.publicBaseUrl).origin;
  const policy: OriginPolicy = {
    corsOrigins: options.corsOrigins,
    isListed: (origin) => listed.has(origin),
    isSameOrigin(origin, host, protocol) {
      if (origin === publicOrigin) return true;
      if (!host) return false;
      try {
        // Behind a proxy that terminates TLS, the request arrives over http: PUBLIC_BASE_URL (above) is the match there.
        return origin === new URL(`${protocol}://${host}`).origin;
      } catch {
        return false;
      }
    },
    foreignOrigin(headers, protocol) {
      const origin = typeof headers.origin === 'string' ? headers.origin : undefined;
      if (origin === undefined) {
        // No Origin: not a browser's cross-site request, unless Fetch Metadata says it is (a
        // browser that leaves Origin out of a cross-site request still sends Sec-Fetch-Site).
        return headers['sec-fetch-site'] === 'cross-site' ? 'null' : null;
      }
      if (policy.isListed(origin) || policy.isSameOrigin(origin, headers.host, protocol)) return null;
      return origin;
    },
  };
  return policy;
}
