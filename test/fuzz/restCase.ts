// One fuzzed REST request and how it is built: the valid baseline of an operation (path, query and
// body), its URL, and a request from it with a key and a JSON body.
import type { Tenant } from './fuzzWorld.js';
import { toJsonText } from './jsonText.js';
import { targetOf, type Operation } from './openapiOperations.js';
import type { Prng } from './prng.js';
import { exampleBodies, exampleParams, validValue } from './validValues.js';

/** What a case expects beyond "no 5xx" and "well-formed 4xx". */
export type Expectation =
  /** A wrong JSON type (or null where a required field may not be null) in a body: 4xx, never accepted. */
  | 'strict type'
  /** A method the path does not have: 405 with Allow. */
  | 'method not allowed'
  /** A non-JSON body on a JSON route: 415. */
  | 'unsupported media type'
  /** A service key naming a business that does not exist: 404 BUSINESS_NOT_FOUND. */
  | 'unknown business'
  /** A business key naming a business not its own (another, or none): 403 BUSINESS_FORBIDDEN (or SERVICE_KEY_REQUIRED where only a service key may call). */
  | 'other business';

export interface RestCase {
  /** METHOD /openapi/path */
  target: string;
  field: string;
  input: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  expect?: Expectation;
  /** Send it again when accepted: replays must answer the same, not hit a unique index. */
  replay?: boolean;
}

export interface OperationContext {
  a: Tenant;
  b: Tenant;
  serviceKey: string;
  /** The key the baseline succeeds with (set by the runner after trying the baseline). */
  key: string;
  prng: Prng;
  randomCases: number;
  perField: number;
}

export interface RestRequest {
  path: Record<string, string>;
  query: [string, string][];
  body: unknown;
}

export function buildUrl(op: Operation, req: RestRequest): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => req.path[name] ?? 'missing');
  const query = req.query.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&');
  return query ? `${path}?${query}` : path;
}

export function baselineOf(op: Operation, ctx: Pick<OperationContext, 'a'>): RestRequest {
  const { a } = ctx;
  const path: Record<string, string> = {};
  const query: [string, string][] = [];
  const examples = exampleParams(a)[targetOf(op)] ?? {};
  for (const p of op.parameters) {
    const value = examples[p.name] ?? validValue(p.schema, p.name, a);
    if (p.in === 'path') path[p.name] = encodeURIComponent(String(value));
    else if (p.in === 'query' && (p.required || p.name in examples)) query.push([p.name, encodeURIComponent(String(value))]);
  }
  const body = op.body ? (exampleBodies(a)[targetOf(op)] ?? validValue(op.body.schema, '', a)) : undefined;
  return { path, query, body };
}

export function jsonCase(op: Operation, req: RestRequest, key: string | null, field: string, input: string, extra: Partial<RestCase> = {}): RestCase {
  const headers: Record<string, string> = key ? { 'x-api-key': key } : {};
  const hasBody = req.body !== undefined;
  if (hasBody) headers['content-type'] = 'application/json';
  return {
    target: targetOf(op),
    field,
    input,
    method: op.method,
    url: buildUrl(op, req),
    headers,
    ...(hasBody ? { payload: toJsonText(req.body) } : {}),
    ...extra,
  };
}

/** The request sent first, with each candidate key: the runner keeps the key it succeeds with. */
export function baselineCase(op: Operation, ctx: OperationContext, key: string | null): RestCase {
  return jsonCase(op, baselineOf(op, ctx), key, '-', 'valid baseline', { replay: op.method === 'POST' });
}
