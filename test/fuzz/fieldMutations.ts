// Hostile values per field of an operation, from its schema and its name: for JSON body fields
// (wrong types, nulls, missing, other business's values, deep, huge and Unicode values), query and
// path parameters (number-like, encoded, huge, other business's ids). Core ones go to every field,
// the others are drawn by the seed.
import { UNSET } from './bodyFields.js';
import type { Tenant } from './fuzzWorld.js';
import { RawJson } from './jsonText.js';
import { JSON_TYPE_SAMPLES, NASTY_ENCODED, NASTY_NUMBERS, NASTY_PARAM_NUMBERS, NASTY_STRINGS, deepArray, deepObject, hugeString } from './nastyValues.js';
import { schemaTypes, type JsonSchema, type Parameter } from './openapiOperations.js';
import { knownValue, singular, validValue } from './validValues.js';

export interface Mutation {
  input: string;
  value: unknown;
  /** A wrong JSON type: a strictly typed body refuses it. */
  wrongType?: boolean;
  /** Sent for every field; the others are drawn per field by the seed. */
  core?: boolean;
}

function accepts(schema: JsonSchema, jsonType: keyof typeof JSON_TYPE_SAMPLES): boolean {
  const types = schemaTypes(schema);
  if (types.length === 0) return true;
  if (jsonType === 'null') return types.includes('null') || schema.nullable === true || (schema.anyOf ?? []).some((s) => s.nullable);
  if (jsonType === 'integer') return types.includes('integer') || types.includes('number');
  return types.includes(jsonType);
}

/** The wrong types each field always gets: the ones a coercing validator turns into its type. */
const CORE_WRONG_TYPES: Record<string, string[]> = {
  string: ['integer', 'boolean'],
  integer: ['string', 'boolean'],
  number: ['string', 'boolean'],
  boolean: ['integer', 'string'],
  array: ['string', 'object'],
  object: ['array', 'string'],
};

export function bodyMutations(schema: JsonSchema, name: string, required: boolean, topLevel: boolean, tenant: Tenant, other: Tenant): Mutation[] {
  const out: Mutation[] = [];
  const types = schemaTypes(schema);
  const core = (input: string, value: unknown, more: Partial<Mutation> = {}) => out.push({ input, value, core: true, ...more });
  const extra = (input: string, value: unknown, more: Partial<Mutation> = {}) => out.push({ input, value, ...more });
  const strict = types.length > 0 && !schema.anyOf;
  for (const [jsonType, sample] of Object.entries(JSON_TYPE_SAMPLES) as [keyof typeof JSON_TYPE_SAMPLES, unknown][]) {
    if (jsonType === 'null' || accepts(schema, jsonType)) continue;
    const always = (CORE_WRONG_TYPES[types[0] ?? ''] ?? []).includes(jsonType);
    (always ? core : extra)(`wrong type: ${jsonType}`, sample, { wrongType: strict });
  }
  const nullable = accepts(schema, 'null');
  core(nullable ? 'null (nullable)' : required ? 'null in a required field' : 'null in an optional field', null, { wrongType: required && !nullable && strict });
  if (required) core('missing required', UNSET);
  const otherValue = knownValue(other, name);
  if (otherValue !== undefined && otherValue !== knownValue(tenant, name)) core("other business's value", otherValue);
  // Deep values: every top-level field (a validation error echoes them), nested ones by draw.
  (topLevel ? core : extra)('deep object (5000)', deepObject());
  if (types.includes('string')) {
    for (const [input, value] of Object.entries(NASTY_STRINGS)) (/lone high|NUL/.test(input) ? core : extra)(input, value);
    extra('huge string (1 MB)', hugeString());
    if (schema.maxLength !== undefined) {
      extra('maxLength + 1', 'y'.repeat(schema.maxLength + 1));
      extra('maxLength of astral characters', '😀'.repeat(Math.min(schema.maxLength, 200_000)));
    }
    if (schema.format === 'date-time') {
      for (const value of ['garbage', '+275760-09-13T00:00:00.001Z']) core(`bad date-time ${value}`, value);
      for (const value of ['2026-13-45T25:61:00Z', '-271821-04-20T00:00:00Z', '0000-00-00T00:00:00Z', '2026-01-15']) extra(`bad date-time ${value}`, value);
    }
    if (schema.format === 'uuid') {
      extra('random uuid', '6f9619ff-8b86-4d01-b42d-00cf4fc964ff');
      const mine = knownValue(tenant, name);
      if (typeof mine === 'string') extra('uuid in capitals', mine.toUpperCase());
    }
    if (schema.format === 'uri') {
      extra('non-http uri', 'javascript:alert(1)');
      extra('uri to localhost', 'http://127.0.0.1:22/x');
    }
    if (schema.enum) extra('enum value in another case', String(schema.enum[0]).toUpperCase());
    if (/phone|^to$|^from$/.test(name)) for (const value of ['+', '++1', '1'.repeat(40), 'client:x', 'sip:a@b', 'tel:+14155550100', '00 1 415 555 0100']) extra(`odd phone ${value}`, value);
    if (/email|^to$|^from$/.test(name)) for (const value of ['@', 'a@', '"a b"@c.d', 'Rosa <rosa@x.test', 'a@b@c', `${'a'.repeat(300)}@x.test`]) extra(`odd address ${value}`, value);
  }
  if (types.includes('integer') || types.includes('number')) {
    for (const [input, value] of Object.entries(NASTY_NUMBERS)) (input === 'huge integer' ? core : extra)(input, value);
    extra('numeric string', '12');
  }
  if (types.includes('array')) {
    const item = validValue(schema.items ?? {}, singular(name), tenant);
    const n = Math.min((schema.maxItems ?? 10_000) + 1, 50_001);
    extra(
      `huge array (${n} items)`,
      Array.from({ length: n }, () => item),
    );
    extra('empty array', []);
    extra('array holding null', [null]);
    extra('deep array (5000)', deepArray());
  }
  if (types.includes('object') || types.length === 0) {
    extra('deep array (5000)', deepArray());
    extra('__proto__ key', new RawJson('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'));
    extra('wide object (1000 keys)', Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`k${i}`, i])));
  }
  return out;
}

export function queryMutations(param: Parameter, tenant: Tenant, other: Tenant): { input: string; raw: string; core?: boolean }[] {
  const s = param.schema;
  const types = schemaTypes(s);
  const out: { input: string; raw: string; core?: boolean }[] = [];
  const CORE = new Set(['-1', '1.5', '99999999999999999999999', 'abc', '', 'lone surrogate (CESU-8 bytes)', 'NUL byte']);
  for (const raw of NASTY_PARAM_NUMBERS) out.push({ input: `number-like ${raw}`, raw: encodeURIComponent(raw), core: CORE.has(raw) });
  for (const raw of ['abc', 'true', 'maybe', '']) out.push({ input: `string ${JSON.stringify(raw)}`, raw, core: CORE.has(raw) });
  for (const [input, raw] of Object.entries(NASTY_ENCODED)) out.push({ input, raw, core: CORE.has(input) });
  out.push({ input: 'huge value (16 KB)', raw: 'x'.repeat(16_384) });
  const otherValue = knownValue(other, param.name);
  if (typeof otherValue === 'string') out.push({ input: "other business's value", raw: encodeURIComponent(otherValue), core: true });
  if (s.format === 'uuid') {
    out.push({ input: 'random uuid', raw: '6f9619ff-8b86-4d01-b42d-00cf4fc964ff' });
    const mine = knownValue(tenant, param.name);
    if (typeof mine === 'string') out.push({ input: 'uuid in capitals', raw: mine.toUpperCase() });
  }
  if (s.format === 'date-time' || types.includes('string')) {
    for (const value of ['2026-13-45T25:61:00Z', '+275760-09-13T00:00:00.001Z', '-271821-04-20T00:00:00Z'])
      out.push({ input: `bad date-time ${value}`, raw: encodeURIComponent(value), core: s.format === 'date-time' });
  }
  if (s.enum || s.items?.enum) out.push({ input: 'unknown enum value', raw: 'bogus', core: true });
  return out;
}

export function pathMutations(param: Parameter, tenant: Tenant, other: Tenant): { input: string; raw: string; core?: boolean }[] {
  const out: { input: string; raw: string; core?: boolean }[] = [];
  const otherValue = knownValue(other, param.name);
  if (typeof otherValue === 'string') out.push({ input: "other business's id", raw: encodeURIComponent(otherValue), core: true });
  out.push({ input: 'unknown id', raw: 'no-such-thing', core: true }, { input: 'random uuid', raw: '6f9619ff-8b86-4d01-b42d-00cf4fc964ff', core: true });
  for (const raw of ['-1', '1.5', '99999999999999999999999', '1e309']) out.push({ input: `number-like ${raw}`, raw, core: raw === '99999999999999999999999' });
  for (const [input, raw] of Object.entries(NASTY_ENCODED)) out.push({ input, raw, core: /surrogate|NUL/.test(input) });
  out.push({ input: 'long segment (600)', raw: 'x'.repeat(600) }, { input: 'segment at the length limit (512)', raw: 'x'.repeat(512) });
  const mine = knownValue(tenant, param.name);
  if (typeof mine === 'string') out.push({ input: 'id in capitals', raw: encodeURIComponent(mine.toUpperCase()) }, { input: 'id with trailing space', raw: `${encodeURIComponent(mine)}%20` });
  return out;
}
