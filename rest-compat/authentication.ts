// Group "authentication": session tokens for staff members, minted with an API key.
import { serialize } from 'cookie';
import type { FastifyPluginAsync } from 'fastify';
import { issueAuthToken } from '../src/domain/auth/issueAuthToken.js';
import type { Deps } from '../src/domain/deps.js';
import { SESSION_COOKIE } from '../src/http/principal.js';
import { describe } from './catalog.js';
import { apiKeySecurity, authErrors, errorResponse, isoDateTime } from './schemas.js';

interface TokenBody {
  business_id: string;
  staff_id?: string;
  staff_external_id?: string;
  ttl_seconds?: number;
  set_cookie?: boolean;
}

export function authenticationRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: TokenBody }>('/auth/token', {
      schema: {
        ...describe('POST', '/auth/token'),
        description:
          'Issues a short-lived session token (JWT, HS256) for a staff member: send it as "Authorization: Bearer <token>" on REST and ' +
          'GraphQL, or in graphql-ws connectionParams. With set_cookie it is also set as the httpOnly cookie omega_session ' +
          '(SameSite=Lax; Secure when the service is served over https). A business key mints tokens for its own staff, a service key for any.',
        security: apiKeySecurity,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['business_id'],
          properties: {
            business_id: { type: 'string', minLength: 1, maxLength: 128 },
            staff_id: { type: 'string', minLength: 1, maxLength: 64, description: "Omega's id of the staff member (or give staff_external_id)." },
            staff_external_id: { type: 'string', minLength: 1, maxLength: 200 },
            ttl_seconds: { type: 'integer', minimum: 1, description: 'Lifetime, at most OMEGA_TOKEN_TTL_SECONDS (the default).' },
            set_cookie: { type: 'boolean', default: false },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              access_token: { type: 'string' },
              token_type: { type: 'string', enum: ['bearer'] },
              expires_in: { type: 'integer' },
              expires_at: isoDateTime,
              session_id: { type: 'string' },
              business_id: { type: 'string' },
              staff_id: { type: 'string' },
            },
            required: ['access_token', 'token_type', 'expires_in', 'expires_at', 'session_id', 'business_id', 'staff_id'],
          },
          404: { ...errorResponse, description: 'Unknown staff member' },
          409: { ...errorResponse, description: 'Staff member inactive' },
          429: { ...errorResponse, description: 'Rate limited' },
          ...authErrors,
        },
      },
    }, async (req, reply) => {
      const b = req.body;
      const issued = await issueAuthToken(deps, {
        principal: req.principal,
        businessId: b.business_id,
        staffId: b.staff_id,
        staffExternalId: b.staff_external_id,
        ttlSeconds: b.ttl_seconds,
        userAgent: req.headers['user-agent'] ?? null,
      });
      if (b.set_cookie) {
        reply.header('set-cookie', serialize(SESSION_COOKIE, issued.token, {
          httpOnly: true,
          sameSite: 'lax',
          secure: deps.auth.secureCookies,
          path: '/',
          maxAge: issued.expiresInSeconds,
          expires: issued.expiresAt,
        }));
      }
      reply.status(201);
      return {
        access_token: issued.token,
        token_type: 'bearer',
        expires_in: issued.expiresInSeconds,
        expires_at: issued.expiresAt.toISOString(),
        session_id: issued.sessionId,
        business_id: issued.businessId,
        staff_id: issued.staffId,
      };
    });
  };
}
