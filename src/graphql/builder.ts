// Builder setup only: plugins (scope-auth first), scalars' TypeScript shapes, context, Prisma dmmf.
// No types are defined here; they live in src/graphql/types/<type>.ts.
import SchemaBuilder, { PothosValidationError } from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type PrismaTypes from '../generated/pothos-prisma-types.js';
import { getDatamodel } from '../generated/pothos-prisma-types.js';
import { authorizeBusiness } from '../domain/auth/authorizeBusiness.js';
import { canAccessBusiness, unauthenticated } from '../domain/auth/principal.js';
import { ForbiddenError } from '../domain/errors.js';
import { isUuid } from '../domain/ids.js';

import type { GraphQLContext } from './context.js';

/** The Node types (src/graphql/types/*.ts, prismaNode) and the shape of their ids; a test keeps this list equal to the schema's. */
export const NODE_ID_SHAPES: Record<string, (id: string) => boolean> = {
  ApiKey: isUuid,
  Business: (id) => id.length > 0 && id.length <= 128,
  Client: isUuid,
  Conversation: isUuid,
  Location: isUuid,
  Message: isUuid,
  Staff: isUuid,
  VoiceCall: isUuid,
};

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
    // A global id naming a type that is no Node, or a row id that cannot be one (every node but
    // Business has a UUID), is the client's mistake, told before anything is looked up.
    decodeGlobalID: (globalID) => {
      const decoded = decodeGlobalID(globalID);
      const idShape = NODE_ID_SHAPES[decoded.typename];
      if (!idShape)
        throw new PothosValidationError(`Invalid global ID: ${globalID} names ${JSON.stringify(decoded.typename)}, which is not a Node of this API (${Object.keys(NODE_ID_SHAPES).join(', ')}).`);
      if (!idShape(decoded.id)) throw new PothosValidationError(`Invalid global ID: ${globalID} holds ${JSON.stringify(decoded.id)}, which is not the id of a ${decoded.typename}.`);
      return decoded;
    },
  },
});
