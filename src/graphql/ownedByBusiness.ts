import type { GraphQLIsTypeOfFn } from 'graphql';
import { canAccessBusiness, unauthenticated } from '../domain/auth/principal.js';
import { ForbiddenError } from '../domain/errors.js';
import type { GraphQLContext } from './context.js';

/**
 * The type-level rule of every business-owned object type (spread into its options): each object GraphQL returns belongs to
 * a business the caller may access, checked once per object as graphql-js completes it (the type's
 * isTypeOf), whatever field or event led to it. Answers as scope-auth's unauthorizedError does: 401
 * without credentials, else 403 FORBIDDEN.
 *
 * A plain synchronous function, not scope-auth's type scopes (runScopesOnType), which run the same
 * check through the request's scope cache and a promise: every object of a page then completed
 * asynchronously. On bench/inbox-list's 50-row page (about 250 objects) that was some 40% of the
 * request's CPU time and 0.4 MB of its 2.8 MB of allocations. Field-level rules (namedBusiness,
 * service) stay scope-auth's.
 */
export function ownedByBusiness<T>(businessOf: (object: T) => string): { isTypeOf: GraphQLIsTypeOfFn<unknown, GraphQLContext> } {
  return {
    isTypeOf: (object, ctx) => {
      const businessId = typeof object === 'object' && object !== null ? businessOf(object as T) : undefined;
      // Not an object of this type at all (graphql-js's default type resolver asks every type).
      if (typeof businessId !== 'string') return false;
      if (canAccessBusiness(ctx.principal, businessId)) return true;
      if (ctx.principal === null) throw unauthenticated();
      throw new ForbiddenError('FORBIDDEN', 'These credentials may not access this business or operation.');
    },
  };
}
