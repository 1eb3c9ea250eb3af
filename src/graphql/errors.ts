// DomainError -> GraphQL error, the one place it happens. Anything else is masked.
import { GraphQLError } from 'graphql';
import { isConnectionError } from '../db/isConnectionError.js';
import { isDataError } from '../db/isDataError.js';
import { DomainError, RateLimitedError, ValidationError } from '../domain/errors.js';

// Duck-typed on purpose: graphql ships as CJS and ESM, and a GraphQLError made by one copy is not
// `instanceof` the other's (seen under vitest), so recognise it by shape.
function asGraphQLError(error: unknown): GraphQLError | undefined {
  return error instanceof Error && 'extensions' in error && 'path' in error ? (error as GraphQLError) : undefined;
}

function findDomainError(error: unknown): DomainError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof DomainError) return current;
    current = asGraphQLError(current)?.originalError ?? (current instanceof Error ? current.cause : undefined);
  }
  return undefined;
}

export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const domain = findDomainError(error);
  const base = asGraphQLError(error);
  if (!domain && isConnectionError(error)) {
    return new GraphQLError('The database is unreachable; try again shortly.', {
      nodes: base?.nodes,
      path: base?.path,
      extensions: { code: 'DATABASE_UNAVAILABLE', kind: 'unavailable' },
    });
  }
  if (!domain && isDataError(error)) {
    return new GraphQLError('A value in the request is not valid.', { nodes: base?.nodes, path: base?.path, extensions: { code: 'BAD_USER_INPUT', kind: 'validation' } });
  }
  if (domain) {
    return new GraphQLError(domain.message, {
      nodes: base?.nodes,
      source: base?.source,
      positions: base?.positions,
      path: base?.path,
      originalError: domain,
      extensions: {
        code: domain.code,
        kind: domain.kind,
        ...(domain instanceof ValidationError ? { issues: domain.issues } : {}),
        ...(domain instanceof RateLimitedError ? { retryAfterSeconds: domain.retryAfterSeconds } : {}),
      },
    });
  }
  // Errors graphql-js raises for the request itself (syntax, unknown field, bad variable) carry no
  // original error and are safe to show as they are.
  if (base && !base.originalError) return base;
  return new GraphQLError(isDev ? `${message}: ${String(error)}` : message, {
    nodes: base?.nodes,
    path: base?.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}
