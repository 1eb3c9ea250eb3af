// Typed domain errors. Each carries a stable machine code and a kind; rest-compat/errors.ts maps the
// kind to an HTTP status once, src/graphql/errors.ts maps it to GraphQL once. No transport here.

export type ErrorKind = 'validation' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' | 'unavailable' | 'gone';

/**
 * One problem with one input field, in the shape FastAPI reports (type, loc, msg, input). `loc` is
 * the field's path in the domain operation's own input, by its camelCase name (['mediaUrls', 0],
 * ['filter', 'clientId']): never where a transport carried it ('body', 'query', 'input') nor its
 * REST name. Each transport maps it once (rest-compat/errors.ts, src/graphql/errors.ts).
 */
export interface FieldIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
}

export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  readonly kind = 'validation';
  constructor(
    readonly issues: FieldIssue[],
    code = 'VALIDATION_FAILED',
  ) {
    super(code, describeIssues(issues));
  }
}

/** The message of a ValidationError: each issue as `path.to.field: what is wrong`. */
export function describeIssues(issues: FieldIssue[]): string {
  return issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; ');
}

export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** What was asked for existed once and is gone for good: a cursor older than the event log keeps (CURSOR_EXPIRED). */
export class GoneError extends DomainError {
  readonly kind = 'gone';
}

export class RateLimitedError extends DomainError {
  readonly kind = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('RATE_LIMITED', message);
  }
}

export class UnavailableError extends DomainError {
  readonly kind = 'unavailable';
}
