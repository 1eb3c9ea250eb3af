import { IANAZone } from 'luxon';

/** Whether the runtime knows this IANA zone (Luxon asks Intl, and remembers the answer). */
export function isTimeZone(value: string | null | undefined): value is string {
  return !!value && IANAZone.isValidZone(value);
}
