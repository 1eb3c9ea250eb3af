// The fuzz runs' knobs: a fixed default seed (CI is reproducible), how many random and drawn cases
// each operation gets, and a filter to replay one operation; all from the environment.

export interface FuzzSettings {
  seed: number;
  /** Random multi-field cases per operation, on top of the systematic single-field ones. */
  randomCases: number;
  /**
   * Hostile values drawn per field on top of the ones every field always gets (wrong types, null,
   * missing, another business's id...): the rest of the catalogue (Unicode, huge, boundary values)
   * is spread over the fields by the seed.
   */
  perField: number;
  /** Only the operations whose target (e.g. "POST /sms/send", "mutation.sendSms") contains this. */
  only: string | undefined;
}

const DEFAULT_SEED = 20261212;
const DEFAULT_RANDOM_CASES = 6;
const DEFAULT_PER_FIELD = 2;

function readInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return value;
}

export function fuzzSettings(): FuzzSettings {
  return {
    seed: readInt('OMEGA_FUZZ_SEED', DEFAULT_SEED),
    randomCases: readInt('OMEGA_FUZZ_CASES', DEFAULT_RANDOM_CASES),
    perField: readInt('OMEGA_FUZZ_PER_FIELD', DEFAULT_PER_FIELD),
    only: process.env['OMEGA_FUZZ_ONLY'] || undefined,
  };
}
