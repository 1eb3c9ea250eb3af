import { expireSessions } from '../../domain/auth/expireSessions.js';
import { issueAuthToken, type IssuedAuthToken } from '../../domain/auth/issueAuthToken.js';
import { builder } from '../builder.js';

const AuthToken = builder.objectRef<IssuedAuthToken>('AuthToken').implement({
  description: 'A session token for a staff member: send it as "Authorization: Bearer <token>" or in graphql-ws connectionParams.',
  fields: (t) => ({
    token: t.exposeString('token'),
    tokenType: t.string({ resolve: () => 'bearer' }),
    sessionId: t.exposeString('sessionId'),
    businessId: t.exposeString('businessId'),
    staffId: t.exposeString('staffId'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    expiresIn: t.exposeInt('expiresInSeconds', { description: 'Seconds until it expires.' }),
  }),
});

const CreateAuthTokenInput = builder.inputType('CreateAuthTokenInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    staffId: t.string({ description: "Omega's id of the staff member (or staffExternalId)." }),
    staffExternalId: t.string(),
    ttlSeconds: t.int({ description: 'At most the configured lifetime (the default).' }),
  }),
});

const ExpireSessionsInput = builder.inputType('ExpireSessionsInput', {
  fields: (t) => ({
    sessionId: t.string({ description: 'With a session token: omit (or its own id).' }),
    staffId: t.string({ description: 'Every session of this staff member (API keys only).' }),
  }),
});

const ExpiredSessions = builder.objectRef<{ sessionIds: string[] }>('ExpiredSessions').implement({
  fields: (t) => ({
    expired: t.int({ resolve: (r) => r.sessionIds.length }),
    sessionIds: t.exposeStringList('sessionIds'),
  }),
});

builder.mutationFields((t) => ({
  createAuthToken: t.field({
    type: AuthToken,
    description: 'Issues a session token for a staff member (a business key for its own staff, a service key for any).',
    args: { input: t.arg({ type: CreateAuthTokenInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) =>
      issueAuthToken(ctx.deps, {
        principal: ctx.principal,
        businessId: input.businessId,
        staffId: input.staffId,
        staffExternalId: input.staffExternalId,
        ttlSeconds: input.ttlSeconds,
      }),
  }),
  expireSessions: t.field({
    type: ExpiredSessions,
    description: 'Ends the calling session, or (API keys) a named session or all sessions of a staff member.',
    args: { input: t.arg({ type: ExpireSessionsInput }) },
    authScopes: { authenticated: true },
    resolve: (_root, { input }, ctx) => expireSessions(ctx.deps, { principal: ctx.principal, sessionId: input?.sessionId, staffId: input?.staffId }),
  }),
}));
