// Shared JSON-schema primitives for the REST routes; they validate input and feed /openapi.json.

export const errorResponse = {
  type: 'object',
  description: 'An error: human-readable detail and a stable machine code.',
  properties: { detail: { type: 'string' }, code: { type: 'string' } },
  required: ['detail', 'code'],
} as const;

export const validationErrorResponse = {
  type: 'object',
  description: 'Parameter Error: one entry per invalid field, as FastAPI reports it.',
  properties: {
    detail: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          loc: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
          msg: { type: 'string' },
          input: {},
        },
        required: ['type', 'loc', 'msg'],
      },
    },
  },
  required: ['detail'],
} as const;

/** The error responses every authenticated route can give. */
export const authErrors = {
  401: { ...errorResponse, description: 'Missing or invalid credentials' },
  403: { ...errorResponse, description: 'Credentials of another business' },
  422: validationErrorResponse,
  503: { ...errorResponse, description: 'Database unreachable' },
} as const;

export const businessIdParams = {
  type: 'object',
  properties: { business_id: { type: 'string', minLength: 1, maxLength: 128, description: 'The id the business was onboarded with.' } },
  required: ['business_id'],
} as const;

/** Both ways of sending an API key; every authenticated route accepts either. */
export const apiKeySecurity: { [scheme: string]: string[] }[] = [{ ApiKeyHeader: [] }, { ApiKeyCookie: [] }];

export const isoDateTime = { type: 'string', format: 'date-time' } as const;
export const nullable = <T extends object>(schema: T) => ({ ...schema, nullable: true }) as const;
