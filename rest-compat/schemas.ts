// Shared schema primitives for the REST routes, in TypeBox: each schema is the JSON schema that
// validates (src/http/buildValidators.ts) and serializes, and, through Static, the TypeScript type
// of what it describes. The shapes registered with addSharedSchemas are named components of
// /openapi.json (`components.schemas`), referenced by `$ref`.
import Type, { type Static, type TOptional, type TSchema } from 'typebox';

/**
 * Null allowed, in OpenAPI 3.0's words (`nullable: true`), which Ajv and fast-json-stringify read
 * too. Route bodies treat null in an optional field that does not accept it as "not given".
 */
export const Nullable = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });

/** One of these strings, as `enum` (its 422 says "Input should be ..." once, not once per value). */
export const StringEnum = <const V extends readonly string[]>(values: V, options: { description?: string; default?: V[number] } = {}) =>
  Type.Unsafe<V[number]>({ type: 'string', enum: [...values], ...options });

/** Any JSON object (`type: object` and nothing else). */
export const AnyObject = (options: { description?: string; additionalProperties?: true } = {}) => Type.Unsafe<Record<string, unknown>>({ type: 'object', ...options });

export const IsoDateTime = (options: { description?: string } = {}) => Type.String({ format: 'date-time', ...options });
export const Uuid = (options: { description?: string } = {}) => Type.String({ format: 'uuid', ...options });

/** These properties, each optional (left out of `required`). */
export const optional = <P extends Record<string, TSchema>>(properties: P) =>
  Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof P]: TOptional<P[K]> };

/** A shared schema's content where a `$ref` cannot stand (inside `nullable`): without its $id, description and example. */
export function inline<T extends TSchema>(schema: T) {
  const { $id: _id, description: _description, example: _example, ...content } = schema as Record<string, unknown>;
  return Type.Unsafe<Static<T>>(content);
}

/** A `$ref` to a shared schema (by its $id), typed as that schema; `description` says what it means here. */
export function Ref<T extends TSchema>(schema: T, description?: string) {
  const id = (schema as { $id?: unknown }).$id;
  if (typeof id !== 'string') throw new Error('internal error: Ref() takes a shared schema, one with an $id');
  return Type.Unsafe<Static<T>>({ $ref: `${id}#`, ...(description ? { description } : {}) });
}

export const ErrorSchema = Type.Object(
  { detail: Type.String(), code: Type.String() },
  {
    $id: 'Error',
    description: 'An error: human-readable detail and a stable machine code.',
    example: { detail: 'No conversation 5b0c4f7e-8a0d-4c53-9d57-2f1c1c3f4b6a in business "demo".', code: 'CONVERSATION_NOT_FOUND' },
  },
);

/** An error answer: the shared Error shape, with what it means for this route. */
export const errorResponse = (description?: string) => Ref(ErrorSchema, description);

export const ValidationErrorSchema = Type.Object(
  {
    detail: Type.Array(
      Type.Object({
        type: Type.String(),
        loc: Type.Array(Type.Union([Type.String(), Type.Integer()])),
        msg: Type.String(),
        input: Type.Optional(Type.Unknown()),
      }),
    ),
  },
  {
    $id: 'ValidationError',
    description: 'Parameter Error: one entry per invalid field, as FastAPI reports it.',
    example: { detail: [{ type: 'value_error', loc: ['path', 'conversation_id'], msg: 'Input must match format "uuid"', input: '42' }] },
  },
);

/** The error responses every authenticated route can give. */
export const authErrors = {
  401: errorResponse('Missing or invalid credentials'),
  403: errorResponse('Credentials of another business'),
  422: Ref(ValidationErrorSchema),
  503: errorResponse('Database unreachable'),
};

export const businessIdParams = Type.Object({
  business_id: Type.String({ minLength: 1, maxLength: 128, description: 'The id the business was onboarded with.' }),
});

/** Both ways of sending an API key; every authenticated route accepts either. */
export const apiKeySecurity: { [scheme: string]: string[] }[] = [{ ApiKeyHeader: [] }, { ApiKeyCookie: [] }];
