// Errors -> GraphQL errors, the one place it happens (yoga's maskError and its log use it). A
// client's mistake is shown with a code it can act on and logged below error level; only an
// error Omega did not expect is masked ("Unexpected error.") and logged as an error.
import { GraphQLError, Kind, type ASTNode } from 'graphql';
import { isConnectionError } from '../db/isConnectionError.js';
import { dataErrorDetail, isDataError } from '../db/isDataError.js';
import { describeIssues, DomainError, RateLimitedError, ValidationError, type FieldIssue } from '../domain/errors.js';
import { clip } from '../http/clip.js';
import { HTTP_STATUS } from '../http/httpStatus.js';

/** Why a GraphQL error was answered: the client's mistake, a known outage, or a defect of Omega's. */
export type ErrorOrigin = 'client' | 'unavailable' | 'unexpected';

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

/** Pothos rejects arguments it checks itself (a global id that is not one, `first: -1`) with this class. */
function isPothosValidationError(error: unknown): error is Error {
  const original = asGraphQLError(error)?.originalError ?? error;
  return original instanceof Error && original.name === 'PothosValidationError';
}

/**
 * graphql-js rejects a variable whose value does not fit its type (`$f: Int` = "abc", a bad enum
 * or DateTime inside an input) before anything runs: the error has no path, and its original
 * error is the scalar's own GraphQLError.
 */
function isCoercionError(base: GraphQLError | undefined): boolean {
  return base !== undefined && base.path === undefined && asGraphQLError(base.originalError) !== undefined;
}

/** yoga reading a request's own JSON (a GET's `variables` or `extensions`) that is not JSON: thrown before anything is parsed or run. */
function isRequestSyntaxError(error: unknown): error is SyntaxError {
  return error instanceof SyntaxError && asGraphQLError(error) === undefined;
}

type Loc = (string | number)[];

/**
 * GraphQL names that are not the domain's, keyed by a domain path prefix; the value replaces that
 * prefix. A page's size and cursor are `first` and `after`; the sender or recorder of a message is
 * `staffId`.
 */
const GRAPHQL_NAMES: Record<string, Loc> = { limit: ['first'], cursor: ['after'], authorStaffId: ['staffId'] };
/** The same, for one field (a mutation, query or subscription), where it differs from GRAPHQL_NAMES. */
const FIELD_GRAPHQL_NAMES: Record<string, Record<string, Loc>> = {
  addNote: { authorStaffId: ['authorStaffId'] },
  retryMessages: { filter: [], 'filter.status': ['statuses'] },
};

function renamed(loc: Loc, names: Record<string, Loc> | undefined): Loc | undefined {
  for (let n = loc.length; names && n > 0; n--) {
    const key = loc.slice(0, n).join('.');
    if (Object.hasOwn(names, key)) return [...names[key]!, ...loc.slice(n)];
  }
  return undefined;
}

/**
 * Where a domain field sits in the GraphQL operation: domain errors name the domain input's fields
 * (['mediaUrls', 0]); a field that takes one `input` argument has them under it (['input',
 * 'mediaUrls', 0]), any other names its arguments (['first']). The one mapping; resolvers and the
 * domain never build GraphQL paths.
 */
export function graphqlLoc(field: ASTNode | undefined, loc: Loc): Loc {
  if (field?.kind !== Kind.FIELD) return loc;
  const args = new Set(field.arguments?.map((a) => a.name.value));
  const names = renamed(loc, FIELD_GRAPHQL_NAMES[field.name.value]) ?? renamed(loc, GRAPHQL_NAMES) ?? [...loc];
  if (names[0] === 'after' && args.has('before') && !args.has('after')) names[0] = 'before';
  return args.has('input') ? ['input', ...names] : names;
}

/** A request error of GraphQL over HTTP: 400 with application/graphql-response+json, 200 with application/json. */
const REQUEST_ERROR = { spec: true, status: 400 };

/** Why an error was answered as it was: the logger's level for it (a client's mistake is no error of Omega's). */
export function classifyError(error: unknown): ErrorOrigin {
  return toGraphQLError(error, '').origin;
}

export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  return toGraphQLError(error, message, isDev).error;
}

/** The one mapping: what the client is told, and whose mistake it was. */
function toGraphQLError(error: unknown, message: string, isDev?: boolean): { error: GraphQLError; origin: ErrorOrigin } {
  const answer = (origin: ErrorOrigin, shown: GraphQLError) => ({ error: shown, origin });
  const domain = findDomainError(error);
  const base = asGraphQLError(error);
  const at = { nodes: base?.nodes, source: base?.source, positions: base?.positions, path: base?.path };
  if (domain) {
    const issues: FieldIssue[] | undefined = domain instanceof ValidationError ? domain.issues.map((i) => ({ ...i, loc: graphqlLoc(base?.nodes?.[0], i.loc) })) : undefined;
    return answer(
      domain.kind === 'unavailable' ? 'unavailable' : 'client',
      new GraphQLError(clip(issues ? describeIssues(issues) : domain.message, 1000), {
        ...at,
        originalError: domain,
        extensions: {
          code: domain.code,
          kind: domain.kind,
          ...(issues ? { issues } : {}),
          ...(domain instanceof RateLimitedError ? { retryAfterSeconds: domain.retryAfterSeconds } : {}),
          // An error before execution (credentials, CSRF) is the request's status; so is "no valid
          // credentials" anywhere (401, as README promises). Other errors of a field stand beside
          // whatever else the operation returned.
          ...(base?.path === undefined || domain.kind === 'unauthenticated' ? { http: { status: HTTP_STATUS[domain.kind] } } : {}),
        },
      }),
    );
  }
  if (isConnectionError(error)) {
    return answer('unavailable', new GraphQLError('The database is unreachable; try again shortly.', { ...at, extensions: { code: 'DATABASE_UNAVAILABLE', kind: 'unavailable' } }));
  }
  if (isDataError(error)) {
    const detail = dataErrorDetail(error);
    return answer('client', new GraphQLError(`A value in the request is not valid${detail ? `: ${detail}` : ''}.`, { ...at, extensions: { code: 'BAD_USER_INPUT', kind: 'validation' } }));
  }
  if (isRequestSyntaxError(error)) {
    return answer('client', new GraphQLError(`The request's JSON could not be read: ${error.message}`, { extensions: { code: 'BAD_REQUEST', kind: 'validation', http: { status: 400 } } }));
  }
  if (isPothosValidationError(error)) {
    const original = (base?.originalError ?? error) as Error;
    return answer('client', new GraphQLError(original.message, { ...at, extensions: { code: 'BAD_USER_INPUT', kind: 'validation' } }));
  }
  if (isCoercionError(base)) {
    return answer('client', new GraphQLError(base!.message, { ...at, extensions: { code: 'BAD_USER_INPUT', kind: 'validation', http: REQUEST_ERROR } }));
  }
  // Errors graphql-js raises for the request itself (syntax, unknown field, a required variable
  // left out) carry no original error and are safe to show as they are, with a code.
  if (base && !base.originalError) {
    if (base.extensions?.['code'] !== undefined || base.path !== undefined) return answer('client', base);
    return answer('client', new GraphQLError(base.message, { ...at, extensions: { ...base.extensions, code: 'BAD_USER_INPUT', kind: 'validation', http: REQUEST_ERROR } }));
  }
  return answer('unexpected', new GraphQLError(isDev ? `${message}: ${String(error)}` : message, { ...at, extensions: { code: 'INTERNAL_SERVER_ERROR' } }));
}
