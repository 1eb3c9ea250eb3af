import { pgErrorCode } from './pgErrorCode.js';

/** True when a statement failed on a unique index (23505), from Prisma's own queries, its raw queries or pg. */
export function isUniqueViolation(err: unknown): boolean {
  return pgErrorCode(err) === '23505';
}
