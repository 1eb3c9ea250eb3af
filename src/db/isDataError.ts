import { pgErrorCode } from './pgErrorCode.js';

/**
 * True for PostgreSQL's "data exception" class (22xxx: invalid text for a uuid or timestamp, value
 * out of range, ...). Input is validated before it reaches SQL; this is the safety net that keeps
 * a value that slipped through a 4xx instead of a 500.
 */
export function isDataError(err: unknown): boolean {
  return pgErrorCode(err)?.startsWith('22') ?? false;
}
