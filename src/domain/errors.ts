// Typed domain errors. Each carries a stable machine code and a kind; rest-compat/errors.ts maps the
// kind to an HTTP status once, src/graphql/errors.ts maps it to GraphQL once. No transport here.

export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable';

/** One problem with one input field, in the shape FastAPI reports (type, loc, msg, input). */
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
    super(code, issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; '));
  }
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
