// The operations of /openapi.json as the REST fuzz reads them: method, path, parameters, JSON body
// schema and whether credentials are needed.

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  nullable?: boolean;
  anyOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | JsonSchema;
  default?: unknown;
}

export interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** OpenAPI template, e.g. /businesses/{business_id}/locations */
  path: string;
  parameters: Parameter[];
  body?: { contentType: string; schema: JsonSchema };
  /** No security requirement: public (health) or signed by a provider (webhooks). */
  public: boolean;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> }; security?: unknown[] }>>;
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const content = op.requestBody?.content ?? {};
      const contentType = Object.keys(content)[0];
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: contentType ? { contentType, schema: content[contentType]!.schema } : undefined,
        public: (op.security ?? []).length === 0,
      });
    }
  }
  return ops;
}

export const targetOf = (op: Pick<Operation, 'method' | 'path'>) => `${op.method} ${op.path}`;

/** The JSON types a schema allows (every branch of an anyOf). */
export function schemaTypes(schema: JsonSchema): string[] {
  if (schema.anyOf) return schema.anyOf.flatMap(schemaTypes);
  const t = schema.type;
  return t === undefined ? [] : Array.isArray(t) ? t : [t];
}
