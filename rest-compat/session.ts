// Group "session": ending sessions (logout, or revocation by an API key).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { expireSessions } from '../src/domain/auth/expireSessions.js';
import type { Deps } from '../src/domain/deps.js';
import { describe } from './catalog.js';
import { clearSessionCookie } from './sessionCookie.js';
import { apiKeySecurity, authErrors, errorResponse, optional } from './schemas.js';

export function sessionRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/session/expire',
      {
        // A bare POST (no body) is the common logout call.
        preValidation: async (req) => {
          req.body ??= {};
        },
        schema: {
          ...describe('POST', '/session/expire'),
          description:
            'With a session token (Bearer or the omega_session cookie): ends that session and clears the cookie. With an API key: ends ' +
            'the session session_id, or every session of staff_id (a business key within its own business). Ended tokens answer 401 ' +
            'everywhere at once, and open graphql-ws connections using them are closed (4401).',
          security: [...apiKeySecurity, { BearerToken: [] }, { SessionCookie: [] }],
          body: Type.Object(optional({ session_id: Type.String({ minLength: 1, maxLength: 64 }), staff_id: Type.String({ minLength: 1, maxLength: 64 }) }), { additionalProperties: false }),
          response: {
            200: Type.Object({
              expired: Type.Integer({ description: 'Sessions ended by this call (0 when they had already ended).' }),
              session_ids: Type.Array(Type.String()),
            }),
            404: errorResponse('No such session or staff member for these credentials'),
            429: errorResponse('Rate limited'),
            ...authErrors,
          },
        },
      },
      async (req, reply) => {
        const { sessionIds } = await expireSessions(deps, { principal: req.principal, sessionId: req.body.session_id, staffId: req.body.staff_id });
        if (req.principal?.kind === 'session') clearSessionCookie(reply, deps);
        return { expired: sessionIds.length, session_ids: sessionIds };
      },
    );
  };
}
