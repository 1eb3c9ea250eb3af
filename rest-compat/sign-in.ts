// Group "sign-in": how a person signs the inbox web app in. A business or service key mints a
// single-use link for one staff member; the web app's sign-in page posts its token to /auth/sign-in,
// which sets the httpOnly omega_session cookie (a browser never holds a key). With the embedded demo
// (`npm start` on its own database, on a loopback HOST and PUBLIC_BASE_URL), a request from this
// machine may also sign in as a demo staff member in one click: the same rule as GraphiQL's demo key.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { createSignInLink } from '../src/domain/auth/createSignInLink.js';
import { demoSignIn } from '../src/domain/auth/demoSignIn.js';
import { demoSignInOptions } from '../src/domain/auth/demoSignInOptions.js';
import { redeemSignInLink, type SignedIn } from '../src/domain/auth/redeemSignInLink.js';
import type { Deps } from '../src/domain/deps.js';
import { NotFoundError } from '../src/domain/errors.js';
import { isLoopbackRequest } from '../src/http/loopbackRequest.js';
import { describe } from './catalog.js';
import { setSessionCookie } from './sessionCookie.js';
import { apiKeySecurity, authErrors, errorResponse, IsoDateTime, Nullable, optional } from './schemas.js';

export interface SignInRouteOptions {
  /**
   * The embedded demo's one-click sign-in (src/main.ts: the embedded database with a loopback HOST
   * and PUBLIC_BASE_URL); even then only for requests from this machine that name a loopback host
   * and came through no proxy (src/http/loopbackRequest.ts).
   */
  demoSignIn: boolean;
}

const signedInResponse = Type.Object({
  business_id: Type.String(),
  staff_id: Type.String(),
  staff_name: Type.String(),
  expires_at: IsoDateTime({ description: 'When the session (and its cookie) ends: OMEGA_SIGN_IN_SESSION_TTL_SECONDS after sign-in.' }),
});

const publicErrors = { 422: authErrors[422], 503: authErrors[503] };
/** The sign-ins that start sessions are limited per client IP (OMEGA_RATE_LIMIT_PER_MINUTE). */
const limitedErrors = { ...publicErrors, 429: errorResponse('RATE_LIMITED: too many sign-ins from this address; wait Retry-After seconds') };

/** The cookie, and who is signed in; never the token itself (the page's scripts must not hold it). */
function signedIn(reply: FastifyReply, deps: Deps, session: SignedIn) {
  setSessionCookie(reply, deps, session).header('cache-control', 'no-store');
  return { business_id: session.businessId, staff_id: session.staffId, staff_name: session.staffName, expires_at: session.expiresAt.toISOString() };
}

export function signInRoutes(deps: Deps, options: SignInRouteOptions): FastifyPluginAsyncTypebox {
  const demoApplies = (req: FastifyRequest) => options.demoSignIn && isLoopbackRequest(req.raw);
  return async (app) => {
    app.post(
      '/auth/sign-in-links',
      {
        schema: {
          ...describe('POST', '/auth/sign-in-links'),
          description:
            "Mints a single-use sign-in link for a staff member: the web app's sign-in page (PUBLIC_BASE_URL/inbox/sign-in) with the token in its " +
            '#fragment. Opening it signs that browser in (POST /auth/sign-in). Valid OMEGA_SIGN_IN_LINK_TTL_SECONDS (900) unless ttl_seconds asks for ' +
            "less. A business key mints links for its own staff (another business's staff member is 404), a service key for any. Only the token's " +
            'hash is kept: send the link to the person, it is shown once.',
          security: apiKeySecurity,
          body: Type.Object(
            {
              staff_id: Type.String({ minLength: 1, maxLength: 64, description: "Omega's id of the staff member." }),
              ...optional({
                business_id: Type.String({ minLength: 1, maxLength: 128, description: "The staff member's business (a business key's own when left out)." }),
                ttl_seconds: Type.Integer({ minimum: 1, description: 'Validity, at most OMEGA_SIGN_IN_LINK_TTL_SECONDS (the default).' }),
              }),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({ url: Type.String(), expires_at: IsoDateTime(), staff_id: Type.String(), business_id: Type.String() }),
            404: errorResponse('STAFF_NOT_FOUND (also for staff of another business)'),
            409: errorResponse('STAFF_INACTIVE'),
            429: errorResponse('Rate limited'),
            ...authErrors,
          },
        },
      },
      async (req, reply) => {
        const link = await createSignInLink(deps, { principal: req.principal, businessId: req.body.business_id, staffId: req.body.staff_id, ttlSeconds: req.body.ttl_seconds });
        reply.status(201).header('cache-control', 'no-store');
        return { url: link.url, expires_at: link.expiresAt.toISOString(), staff_id: link.staffId, business_id: link.businessId };
      },
    );

    app.post(
      '/auth/sign-in',
      {
        config: { auth: 'none', sameOriginOnly: true, limitByIp: true },
        schema: {
          ...describe('POST', '/auth/sign-in'),
          description:
            "Opens a sign-in link: its token (from the link's #token=) starts a session for its staff member and sets it as the httpOnly cookie " +
            'omega_session (SameSite=Lax; Secure over https), for OMEGA_SIGN_IN_SESSION_TTL_SECONDS (a working day). A link signs in once. ' +
            "Refused (403 CSRF_ORIGIN_FORBIDDEN) from another origin's page unless it is listed in OMEGA_CORS_ORIGINS.",
          security: [],
          body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) }, { additionalProperties: false }),
          response: {
            200: signedInResponse,
            401: errorResponse('SIGN_IN_LINK_INVALID: no such link, or the key that made it was revoked'),
            403: errorResponse('CSRF_ORIGIN_FORBIDDEN: sent by a page of another origin'),
            409: errorResponse('STAFF_INACTIVE'),
            410: errorResponse('SIGN_IN_LINK_USED or SIGN_IN_LINK_EXPIRED'),
            ...limitedErrors,
          },
        },
      },
      async (req, reply) => signedIn(reply, deps, await redeemSignInLink(deps, { token: req.body.token, userAgent: req.headers['user-agent'] ?? null })),
    );

    app.get(
      '/auth/sign-in-options',
      {
        config: { auth: 'none' },
        schema: {
          ...describe('GET', '/auth/sign-in-options'),
          description:
            "How the sign-in page may sign in besides a link: `demo` lists the embedded demo business's active staff for one-click sign-in " +
            '(POST /auth/demo-sign-in), only with the embedded database on a loopback HOST and PUBLIC_BASE_URL, to a request from this machine ' +
            'through no proxy; null otherwise.',
          security: [],
          response: {
            200: Type.Object({
              demo: Nullable(
                Type.Object({
                  business_id: Type.String(),
                  business_name: Type.String(),
                  staff: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), role: Nullable(Type.String()) })),
                }),
              ),
            }),
            503: authErrors[503],
          },
        },
      },
      async (req, reply) => {
        // The answer depends on who asks (this machine or not): never stored by a cache.
        reply.header('cache-control', 'no-store');
        const demo = demoApplies(req) ? await demoSignInOptions(deps) : null;
        return { demo: demo && { business_id: demo.businessId, business_name: demo.businessName, staff: demo.staff } };
      },
    );

    app.post(
      '/auth/demo-sign-in',
      {
        config: { auth: 'none', sameOriginOnly: true, limitByIp: true },
        schema: {
          ...describe('POST', '/auth/demo-sign-in'),
          description:
            'Signs in as an active staff member of the embedded demo business (one of GET /auth/sign-in-options), with the same answer and cookie ' +
            'as POST /auth/sign-in. 404 unless the demo applies to this request (see GET /auth/sign-in-options).',
          security: [],
          body: Type.Object({ staff_id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
          response: {
            200: signedInResponse,
            403: errorResponse('CSRF_ORIGIN_FORBIDDEN: sent by a page of another origin'),
            404: errorResponse('DEMO_SIGN_IN_UNAVAILABLE, or STAFF_NOT_FOUND'),
            ...limitedErrors,
          },
        },
      },
      async (req, reply) => {
        if (!demoApplies(req)) {
          throw new NotFoundError('DEMO_SIGN_IN_UNAVAILABLE', 'The demo sign-in is only offered by `npm start` with its embedded database, on a loopback HOST, to requests from that machine.');
        }
        return signedIn(reply, deps, await demoSignIn(deps, { staffId: req.body.staff_id, userAgent: req.headers['user-agent'] ?? null }));
      },
    );
  };
}
