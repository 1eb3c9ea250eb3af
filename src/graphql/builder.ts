// Builder setup only: plugins (scope-auth first), scalars' TypeScript shapes, context, Prisma dmmf.
// No types are defined here; they live in src/graphql/types/<type>.ts.
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type PrismaTypes from '../generated/pothos-prisma-types.js';
import { getDatamodel } from '../generated/pothos-prisma-types.js';
import { authorizeBusiness } from '../domain/auth/authorizeBusiness.js';
import { canAccessBusiness, unauthenticated } from '../domain/auth/principal.js';
import { ForbiddenError } from '../domain/errors.js';

import type { GraphQLContext } from './context.js';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  AuthScopes: {
    authenticated: boolean;
    service: boolean;
    /** The caller may act on this business (its own key, or a service key): objects already loaded. */
    business: string;
    /**
     * The same for a business an argument names: a service key naming one that does not exist is
     * refused with BUSINESS_NOT_FOUND (domain/auth/authorizeBusiness), as over REST.
     */
    namedBusiness: string;
  };
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    // A type's scopes (a Conversation's business, say) are checked once per object, as it is
    // resolved, instead of wrapping each of its fields' resolvers: an inbox page is 50
    // conversations with client, assignee and last message, some 1,000 fields.
    runScopesOnType: true,
    authScopes: (ctx) => ({
      authenticated: ctx.principal !== null,
      service: ctx.principal?.kind === 'service',
      business: (businessId: string) => canAccessBusiness(ctx.principal, businessId),
      namedBusiness: async (businessId: string) => {
        if (!canAccessBusiness(ctx.principal, businessId)) return false;
        await authorizeBusiness(ctx.deps, ctx.principal, businessId);
        return true;
      },
    }),
    // The same two outcomes as REST: no valid credentials, or credentials for someone else.
    unauthorizedError: (_parent, ctx) => {
      if (ctx.principal === null) return unauthenticated();
      return new ForbiddenError('FORBIDDEN', 'These credentials may not access this business or operation.');
    },
  },
  prisma: {
    client: (ctx) => ctx.deps.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    // A resolver that forgets to spread `query` into its Prisma call is a bug (N+1): fail loudly.
    onUnusedQuery: 'error',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
  },
});
