// The fields of a JSON body schema, and a copy of a body with one of them replaced or removed
// (missing parents made valid), for the REST fuzz.
import type { Tenant } from './fuzzWorld.js';
import type { JsonSchema } from './openapiOperations.js';
import { validValue } from './validValues.js';

export type Segment = string | number;

function schemaAt(root: JsonSchema, path: Segment[]): JsonSchema {
  let s: JsonSchema = root;
  for (const seg of path) {
    const base = s.anyOf?.find((x) => x.type !== 'null') ?? s;
    s = (typeof seg === 'number' ? base.items : base.properties?.[seg]) ?? {};
  }
  return s;
}

export const UNSET = Symbol('unset');

/** A copy of `body` with the value at `path` replaced (UNSET: removed); missing parents are made valid. */
export function setAt(body: unknown, path: Segment[], value: unknown, root: JsonSchema, tenant: Tenant): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [Segment, ...Segment[]];
  const container = (body && typeof body === 'object' ? structuredClone(body) : typeof head === 'number' ? [] : {}) as Record<Segment, unknown>;
  const childSchema = schemaAt(root, [head]);
  const current = container[head] ?? (rest.length ? validValue(childSchema, String(head), tenant) : undefined);
  const next = setAt(current, rest, value, childSchema, tenant);
  if (next === UNSET) {
    if (Array.isArray(container)) container.splice(Number(head), 1);
    else delete container[head];
  } else container[head] = next;
  return container;
}

/** Every field of a body schema with its path (array items as index 0), parents first. */
export function fieldsOf(schema: JsonSchema, path: Segment[] = []): { path: Segment[]; schema: JsonSchema; required: boolean }[] {
  const out: { path: Segment[]; schema: JsonSchema; required: boolean }[] = [];
  const base = schema.anyOf?.find((x) => x.type !== 'null') ?? schema;
  for (const [key, child] of Object.entries(base.properties ?? {})) {
    out.push({ path: [...path, key], schema: child, required: (base.required ?? []).includes(key) });
    out.push(...fieldsOf(child, [...path, key]));
  }
  if (base.items) {
    out.push({ path: [...path, 0], schema: base.items, required: false });
    out.push(...fieldsOf(base.items, [...path, 0]));
  }
  return out;
}

export const fieldName = (path: Segment[]) =>
  path
    .map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
