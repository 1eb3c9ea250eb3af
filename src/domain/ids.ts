import { ValidationError } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Omega ids are UUIDs: anything else is a 422 naming the field, never a database cast error. */
export function assertUuid(value: string, loc: (string | number)[]): string {
  if (!UUID.test(value)) throw new ValidationError([{ type: 'uuid_parsing', loc, msg: 'Input should be a valid UUID', input: value }]);
  return value;
}

/** assertUuid for optional values. */
export function assertOptionalUuid(value: string | null | undefined, loc: (string | number)[]): string | undefined {
  return value == null ? undefined : assertUuid(value, loc);
}
