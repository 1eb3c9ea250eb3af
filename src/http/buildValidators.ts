// How every route's JSON schemas are compiled, set once for the whole app (Fastify's
// schemaController), so it holds for any route and any source of route schemas:
//
// - Bodies are JSON and strictly typed: no coercion (`{"body": true}` is a 422, not the text
//   "true"; `"read": null` is not false), and an explicit null in an optional field that does not
//   accept null means "not given" (FastAPI's rule) instead of failing or becoming "".
// - Query strings and path parameters are text: coerced to the schema's types, as FastAPI does.
import AjvCompiler from '@fastify/ajv-compiler';

type Factory = AjvCompiler.BuildCompilerFromPool;
type Compile = ReturnType<Factory>;
type Validate = ReturnType<Compile>;

export const buildValidators: Factory = (externalSchemas, options) => {
  const pool = AjvCompiler();
  const custom = options && !('mode' in options && options.mode === 'JTD') ? (options.customOptions ?? {}) : {};
  const lenient = pool(externalSchemas, { ...options, customOptions: { ...custom, coerceTypes: 'array' } } as typeof options);
  const strict = pool(externalSchemas, { ...options, customOptions: { ...custom, coerceTypes: false } } as typeof options);
  return (route) => {
    if (route.httpPart !== 'body') return lenient(route);
    const validate = strict(route);
    const strip = nullStripper(route.schema);
    return strip ? withNullsStripped(validate, strip) : validate;
  };
};

function withNullsStripped(validate: Validate, strip: (value: unknown) => void): Validate {
  const wrapped = ((data: unknown, context?: unknown) => {
    strip(data);
    return (validate as (data: unknown, context?: unknown) => unknown)(data, context);
  }) as unknown as Validate;
  // Fastify reads the outcome's `errors` from the function, and passes the parent (for root coercion) when `schemaEnv` is set.
  Object.defineProperty(wrapped, 'errors', { get: () => validate.errors });
  Object.defineProperty(wrapped, 'schemaEnv', { get: () => (validate as { schemaEnv?: unknown }).schemaEnv });
  return wrapped;
}

interface SchemaNode {
  type?: string | string[];
  nullable?: boolean;
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode | SchemaNode[];
  additionalProperties?: boolean | SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
}

/** True when a JSON schema lets null through: null then means what the schema documents (e.g. "clear"). */
function acceptsNull(schema: SchemaNode): boolean {
  if (schema.nullable === true || schema.const === null || schema.enum?.includes(null)) return true;
  if (schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null'))) return true;
  if ([...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].some(acceptsNull)) return true;
  const constrained = ['type', 'const', 'enum', 'properties', 'items', 'anyOf', 'oneOf', 'allOf'].some((k) => k in schema);
  return !constrained;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What removes nulls from the optional, null-refusing properties of a value of this schema, at
 * every depth; null when the schema has none.
 */
export function nullStripper(schema: unknown): ((value: unknown) => void) | null {
  if (!isObject(schema)) return null;
  const node = schema as SchemaNode;
  const steps: ((value: unknown) => void)[] = [];
  const required = new Set(node.required ?? []);
  for (const [name, property] of Object.entries(node.properties ?? {})) {
    const absentWhenNull = !required.has(name) && !acceptsNull(property);
    const inner = nullStripper(property);
    if (!absentWhenNull && !inner) continue;
    steps.push((value) => {
      if (!isObject(value) || !Object.hasOwn(value, name)) return;
      if (value[name] === null) {
        if (absentWhenNull) delete value[name];
      } else {
        inner?.(value[name]);
      }
    });
  }
  if (isObject(node.items)) {
    const inner = nullStripper(node.items);
    if (inner) steps.push((value) => Array.isArray(value) && value.forEach(inner));
  }
  for (const part of node.allOf ?? []) {
    const inner = nullStripper(part);
    if (inner) steps.push(inner);
  }
  return steps.length === 0 ? null : (value) => steps.forEach((step) => step(value));
}
