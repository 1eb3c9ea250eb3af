import type { ErrorKind } from '../domain/errors.js';

/** The HTTP status of each kind of domain error: REST answers with it, GraphQL over HTTP where the error decides the status. */
export const HTTP_STATUS: Record<ErrorKind, number> = {
  validation: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  gone: 410,
};
