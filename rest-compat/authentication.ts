// Group "authentication": session tokens for staff members, minted with an API key.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { issueAuthToken } from '../src/domain/auth/issueAuthToken.js';
import type { Deps } from '../src/domain/deps.js';
import { describe } from './catalog.js';
import { setSessionCookie } from './sessionCookie.js';
import { apiKeySecurity, authErrors, errorResponse, IsoDateTime, optional, StringEnum } from './schemas.js';

export function authenticationRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/auth/token',
      {
        schema: {
          ...describe('POST', '/auth/token'),
          description:
            'Issues a short-lived session token (JWT, HS256) for a staff member: send it as "Authorization: Bearer <token>" on REST and ' +
            'GraphQL, or in graphql-ws connectionParams. With set_cookie it is also set as the httpOnly cookie omega_session ' +
            '(SameSite=Lax; Secure when the service is served over https). A business key mints tokens for its own staff, a service key for any.',
          security: apiKeySecurity,
          body: Type.Object(
            {
              business_id: Type.String({ minLength: 1, maxLength: 128 }),
              ...optional({
                staff_id: Type.String({ minLength: 1, maxLength: 64, description: "Omega's id of the staff member (or give staff_external_id)." }),
                staff_external_id: Type.String({ minLength: 1, maxLength: 200 }),
                ttl_seconds: Type.Integer({ minimum: 1, description: 'Lifetime, at most OMEGA_TOKEN_TTL_SECONDS (the default).' }),
                set_cookie: Type.Boolean({ default: false }),
              }),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({
              access_token: Type.String(),
              token_type: StringEnum(['bearer']),
              expires_in: Type.Integer(),
              expires_at: IsoDateTime(),
              session_id: Type.String(),
              business_id: Type.String(),
              staff_id: Type.String(),
            }),
            404: errorResponse('Unknown staff member'),
            409: errorResponse('Staff member inactive'),
            429: errorResponse('Rate limited'),
            ...authErrors,
          },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const issued = await issueAuthToken(deps, {
          principal: req.principal,
          businessId: b.business_id,
          staffId: b.staff_id,
          staffExternalId: b.staff_external_id,
          ttlSeconds: b.ttl_seconds,
          userAgent: req.headers['user-agent'] ?? null,
        });
        if (b.set_cookie) setSessionCookie(reply, deps, issued);
        reply.status(201);
        return {
          access_token: issued.token,
          token_type: 'bearer' as const,
          expires_in: issued.expiresInSeconds,
          expires_at: issued.expiresAt.toISOString(),
          session_id: issued.sessionId,
          business_id: issued.businessId,
          staff_id: issued.staffId,
        };
      },
    );
  };
}
