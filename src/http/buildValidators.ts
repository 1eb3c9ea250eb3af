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
    const strip = nullStripper(route.schema, schemaResolver(route.schema, externalSchemas));
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
  $ref?: string;
  $id?: string;
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

type Resolve = (ref: string) => SchemaNode | undefined;

/**
 * Finds what a `$ref` names: a JSON pointer into the route's own schema (`#/$defs/x`), or a shared
 * schema added with app.addSchema, by its key or `$id` (optionally with a pointer after `#`).
 */
export function schemaResolver(root: unknown, external: Record<string, unknown> = {}): Resolve {
  const byId = new Map<string, unknown>();
  for (const [key, schema] of Object.entries(external)) {
    byId.set(key, schema);
    const id = isObject(schema) ? schema['$id'] : undefined;
    if (typeof id === 'string') byId.set(id, schema);
  }
  const pointer = (doc: unknown, path: string): unknown =>
    path
      .split('/')
      .filter(Boolean)
      .map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), doc);
  return (ref) => {
    const [base = '', fragment = ''] = ref.split('#');
    const doc = base === '' ? root : byId.get(base);
    const found = pointer(doc, fragment);
    return isObject(found) ? (found as SchemaNode) : undefined;
  };
}

/** True when a JSON schema lets null through: null then means what the schema documents (e.g. "clear"). */
function acceptsNull(schema: SchemaNode, resolve: Resolve, depth = 0): boolean {
  if (schema.$ref) {
    const target = depth < 16 ? resolve(schema.$ref) : undefined;
    return target ? acceptsNull(target, resolve, depth + 1) : true; // unknown: leave the value alone
  }
  if (schema.nullable === true || schema.const === null || schema.enum?.includes(null)) return true;
  if (schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null'))) return true;
  if ([...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].some((s) => acceptsNull(s, resolve, depth + 1))) return true;
  const constrained = ['type', 'const', 'enum', 'properties', 'items', 'anyOf', 'oneOf', 'allOf'].some((k) => k in schema);
  return !constrained;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What removes nulls from the optional, null-refusing properties of a value of this schema, at
 * every depth, through `$ref`s and `allOf`; within `anyOf`/`oneOf`, a property whose every branch
 * declaring it has it optional and refusing null. Null when the schema has none.
 */
export function nullStripper(schema: unknown, resolve: Resolve = () => undefined, depth = 0): ((value: unknown) => void) | null {
  if (!isObject(schema) || depth > 16) return null;
  const node = schema as SchemaNode;
  if (node.$ref) {
    const target = resolve(node.$ref);
    return target ? nullStripper(target, resolve, depth + 1) : null;
  }
  const steps: ((value: unknown) => void)[] = [];
  const required = new Set(node.required ?? []);
  for (const [name, property] of Object.entries(node.properties ?? {})) {
    const absentWhenNull = !required.has(name) && !acceptsNull(property, resolve);
    const inner = nullStripper(property, resolve, depth + 1);
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
    const inner = nullStripper(node.items, resolve, depth + 1);
    if (inner) steps.push((value) => Array.isArray(value) && value.forEach(inner));
  }
  for (const part of node.allOf ?? []) {
    const inner = nullStripper(part, resolve, depth + 1);
    if (inner) steps.push(inner);
  }
  for (const branches of [node.anyOf, node.oneOf]) {
    if (!branches?.length) continue;
    const objects = branches.map((b) => (b.$ref ? resolve(b.$ref) : b)).filter((b): b is SchemaNode => b !== undefined && isObject(b.properties));
    if (objects.length !== branches.length) continue;
    const names = new Set(objects.flatMap((b) => Object.keys(b.properties!)));
    const strippable = [...names].filter((name) => objects.every((b) => !b.properties![name] || (!(b.required ?? []).includes(name) && !acceptsNull(b.properties![name]!, resolve))));
    if (strippable.length) {
      steps.push((value) => {
        if (isObject(value)) for (const name of strippable) if (value[name] === null) delete value[name];
      });
    }
  }
  return steps.length === 0 ? null : (value) => steps.forEach((step) => step(value));
}
