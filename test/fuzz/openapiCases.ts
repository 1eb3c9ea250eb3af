// Requests generated from /openapi.json: for each operation a valid baseline, then one request per
// (field, hostile value), plus body-level, method and credential variants, plus seeded random cases
// that break several fields at once. Pure: it reads the document and returns requests.
import { JSON_TYPE_SAMPLES, MEGABYTE, NASTY_ENCODED, NASTY_NUMBERS, NASTY_PARAM_NUMBERS, NASTY_STRINGS, deepArray, deepObject, hugeString } from './nastyValues.js';
import { deepArrayText, deepObjectText, RawJson, toJsonText } from './jsonText.js';
import { coreAndDrawn, type Prng } from './prng.js';
import type { Tenant } from './fuzzWorld.js';

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

/** What a case expects beyond "no 5xx" and "well-formed 4xx". */
export type Expectation =
  /** A wrong JSON type (or null where a required field may not be null) in a body: 4xx, never accepted. */
  | 'strict type'
  /** A method the path does not have: 405 with Allow. */
  | 'method not allowed'
  /** A non-JSON body on a JSON route: 415. */
  | 'unsupported media type';

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

// ---------------------------------------------------------------------------------------------
// Valid values

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A real value of this business for a field or parameter named so, if the name says what it is. */
export function knownValue(tenant: Tenant, rawName: string): unknown {
  const name = snake(rawName);
  switch (name) {
    case 'business_id':
      return tenant.id;
    case 'conversation_id':
      return tenant.conversationId;
    case 'client_id':
      return tenant.clientId;
    case 'staff_id':
    case 'author_staff_id':
    case 'assignee_id':
      return tenant.staffId;
    case 'location_id':
    case 'home_location_id':
    case 'default_sender_location_id':
      return tenant.locationId;
    case 'message_id':
      return tenant.failedMessageId;
    case 'message_ids':
      return [tenant.inboundMessageId];
    case 'mention_staff_ids':
      return [tenant.staffId];
    case 'mention_staff_id':
      return tenant.staffId;
    case 'request_id':
      return tenant.requestId;
    case 'client_external_id':
      return tenant.clientExternalId;
    case 'staff_external_id':
      return tenant.staffExternalId;
    case 'location_external_id':
      return tenant.locationExternalId;
    case 'provider':
      return 'resend';
    case 'to':
    case 'phone':
      return tenant.clientPhone;
    case 'email':
      return `rosa@${tenant.id}.test`;
    case 'first_name':
      return 'Rosa';
    case 'last_name':
      return 'Mitchell';
    case 'body':
    case 'text':
      return 'Hello there';
    case 'subject':
      return 'Hello';
    case 'html':
      return '<p>Hello</p>';
    case 'q':
    case 'search':
      return 'Friday';
    case 'time_zone':
      return 'America/New_York';
    default:
      return undefined;
  }
}

function schemaTypes(schema: JsonSchema): string[] {
  if (schema.anyOf) return schema.anyOf.flatMap(schemaTypes);
  const t = schema.type;
  return t === undefined ? [] : Array.isArray(t) ? t : [t];
}

/** A value the schema accepts: the known one for the name when it fits, else one built from the schema. */
export function validValue(schema: JsonSchema, name: string, tenant: Tenant): unknown {
  if (schema.anyOf) return validValue(schema.anyOf.find((s) => s.type !== 'null') ?? schema.anyOf[0]!, name, tenant);
  const known = knownValue(tenant, name);
  const type = schemaTypes(schema)[0];
  if (known !== undefined && (type === undefined || (type === 'array') === Array.isArray(known))) {
    if (!schema.enum || schema.enum.includes(known)) return known;
  }
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'date-time') return new Date(Date.UTC(2026, 0, 15, 12)).toISOString();
      if (schema.format === 'uri') return 'https://example.com/image.png';
      if (schema.pattern?.includes('[0-5][0-9]')) return '21:00';
      if (schema.pattern) return 'fuzz-onboarded';
      const text = 'fuzz';
      return text.length >= (schema.minLength ?? 0) ? text.slice(0, schema.maxLength ?? 4) : text.padEnd(schema.minLength!, 'z');
    }
    case 'integer':
    case 'number':
      return Math.min(Math.max(schema.minimum ?? 1, 1), schema.maximum ?? Number.MAX_SAFE_INTEGER);
    case 'boolean':
      return false;
    case 'array':
      return [validValue(schema.items ?? {}, singular(name), tenant)];
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((key) => [key, validValue(schema.properties?.[key] ?? {}, key, tenant)]));
    default:
      return 'fuzz';
  }
}

const singular = (name: string) => name.replace(/_ids$/, '_id').replace(/Ids$/, 'Id').replace(/s$/, '');

/** Valid bodies of the operations whose minimal body (required fields only) would do nothing useful. */
export function exampleBodies(a: Tenant): Record<string, Record<string, unknown>> {
  return {
    'POST /businesses/{business_id}/conversations': { client_id: a.clientId },
    'POST /businesses/{business_id}/conversations/{conversation_id}/notes': { body: 'Called back', author_staff_id: a.staffId, mention_staff_ids: [a.staffId] },
    'POST /businesses/{business_id}/conversations/{conversation_id}/assign': { staff_id: a.staffId },
    'POST /businesses/{business_id}/conversations/{conversation_id}/status': { status: 'snoozed', snoozed_until: '2030-01-01T00:00:00Z', pinned: true, muted: false },
    'POST /businesses/{business_id}/messages/read-status': { read: true, conversation_id: a.conversationId, channel: 'sms' },
    'POST /business/onboard': {
      business_id: 'fuzz-onboarded',
      name: 'Onboarded by the fuzz',
      time_zone: 'America/New_York',
      settings: { quiet_hours: { start: '21:00', end: '08:00' }, default_sender_location_external_id: 'main' },
      locations: [{ external_id: 'main', name: 'Main', time_zone: 'America/New_York', address: '1 Main St', sms_sender: { type: 'existing_number', phone_number: '+15005550008' }, email_sender: { from_address: 'front@onboarded.test', from_name: 'Front' } }],
      staff: [{ external_id: 's1', first_name: 'Ada', last_name: 'Lane', email: 'ada@onboarded.test', phone: '+14155550199', role: 'owner', active: true, location_external_ids: ['main'] }],
      clients: [{ external_id: 'c1', first_name: 'Cy', last_name: 'Doe', phone: '+14155550198', phones: ['+14155550197'], email: 'cy@x.test', emails: ['cy2@x.test'], home_location_external_id: 'main', type: 'vip', groups: ['g1'] }],
      issue_api_key: false,
    },
    'POST /auth/token': { business_id: a.id, staff_id: a.staffId, ttl_seconds: 600, set_cookie: false },
    'POST /session/expire': { staff_id: a.staffId },
    'POST /sms/send': { business_id: a.id, to: a.clientPhone, body: 'Hello there', location_id: a.locationId, request_id: 'fuzz-send', first_name: 'Rosa', last_name: 'Mitchell', metadata: { source: 'fuzz' } },
    'POST /sms/record': { business_id: a.id, direction: 'inbound', from: a.clientPhone, to: a.smsNumber, body: 'Hi', location_id: a.locationId, provider: 'external', provider_message_id: 'ext-1', occurred_at: '2026-01-15T12:00:00Z', metadata: { k: 'v' } },
    'POST /sms/status': { business_id: a.id, message_id: a.failedMessageId, status: 'delivered', event_id: 'ev-1', occurred_at: '2026-01-15T12:00:00Z', payload: { raw: true } },
    'POST /email/send': { business_id: a.id, to: `rosa@${a.id}.test`, subject: 'Hello', text: 'Hello there', html: '<p>Hello</p>', location_id: a.locationId, metadata: { source: 'fuzz' } },
    'POST /email/record': { business_id: a.id, direction: 'inbound', from: `Rosa Mitchell <rosa@${a.id}.test>`, to: a.emailAddress, subject: 'Hi', text: 'Hi', location_id: a.locationId, occurred_at: '2026-01-15T12:00:00Z' },
    'POST /email/status': { business_id: a.id, message_id: a.emailMessageId, status: 'delivered', event_id: 'ev-2', payload: { raw: true } },
    'POST /messages/{business_id}/messages/retry': { message_ids: [a.failedMessageId], status: ['failed'], channel: 'sms', limit: 10 },
    'POST /messages/{business_id}/process': { channel: 'sms', to: a.clientPhone, body: 'Hello there', location_id: a.locationId, metadata: { source: 'fuzz' } },
  };
}

// ---------------------------------------------------------------------------------------------
// Setting a value deep in a body

type Segment = string | number;

function schemaAt(root: JsonSchema, path: Segment[]): JsonSchema {
  let s: JsonSchema = root;
  for (const seg of path) {
    const base = s.anyOf?.find((x) => x.type !== 'null') ?? s;
    s = (typeof seg === 'number' ? base.items : base.properties?.[seg]) ?? {};
  }
  return s;
}

const UNSET = Symbol('unset');

/** A copy of `body` with the value at `path` replaced (UNSET: removed); missing parents are made valid. */
function setAt(body: unknown, path: Segment[], value: unknown, root: JsonSchema, tenant: Tenant): unknown {
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
function fieldsOf(schema: JsonSchema, path: Segment[] = []): { path: Segment[]; schema: JsonSchema; required: boolean }[] {
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

const fieldName = (path: Segment[]) => path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '');

// ---------------------------------------------------------------------------------------------
// Hostile values per schema

interface Mutation {
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

function bodyMutations(schema: JsonSchema, name: string, required: boolean, topLevel: boolean, tenant: Tenant, other: Tenant): Mutation[] {
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
    if (schema.format === 'uri') extra('non-http uri', 'javascript:alert(1)'), extra('uri to localhost', 'http://127.0.0.1:22/x');
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
    extra(`huge array (${n} items)`, Array.from({ length: n }, () => item));
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

function queryMutations(param: Parameter, tenant: Tenant, other: Tenant): { input: string; raw: string; core?: boolean }[] {
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
    for (const value of ['2026-13-45T25:61:00Z', '+275760-09-13T00:00:00.001Z', '-271821-04-20T00:00:00Z']) out.push({ input: `bad date-time ${value}`, raw: encodeURIComponent(value), core: s.format === 'date-time' });
  }
  if (s.enum || s.items?.enum) out.push({ input: 'unknown enum value', raw: 'bogus', core: true });
  return out;
}

function pathMutations(param: Parameter, tenant: Tenant, other: Tenant): { input: string; raw: string; core?: boolean }[] {
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

// ---------------------------------------------------------------------------------------------
// Cases of one operation

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

interface Request {
  path: Record<string, string>;
  query: [string, string][];
  body: unknown;
}

function buildUrl(op: Operation, req: Request): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => req.path[name] ?? 'missing');
  const query = req.query.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&');
  return query ? `${path}?${query}` : path;
}

/** Path and query values of the operations whose baseline needs more than the names say. */
function exampleParams(a: Tenant): Record<string, Record<string, string>> {
  return {
    // Onboarded by the POST /business/onboard baseline, which runs first.
    'GET /business/{business_id}/onboarding-status': { business_id: 'fuzz-onboarded' },
    'GET /voice-calls/token': { staff_id: a.staffId, ttl_seconds: '600' },
    'POST /email/webhooks/{provider}': { provider: 'resend' },
  };
}

export function baselineOf(op: Operation, ctx: Pick<OperationContext, 'a'>): Request {
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

function jsonCase(op: Operation, req: Request, key: string | null, field: string, input: string, extra: Partial<RestCase> = {}): RestCase {
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

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The request sent first, with each candidate key: the runner keeps the key it succeeds with. */
export function baselineCase(op: Operation, ctx: OperationContext, key: string | null): RestCase {
  return jsonCase(op, baselineOf(op, ctx), key, '-', 'valid baseline', { replay: op.method === 'POST' });
}

export function casesOf(op: Operation, ctx: OperationContext, pathMethods: string[]): RestCase[] {
  const { a, b, key, prng } = ctx;
  const base = baselineOf(op, ctx);
  const cases: RestCase[] = [];
  const keyFor = op.public ? null : key;
  const replay = op.method === 'POST';

  // Path parameters.
  for (const p of op.parameters.filter((x) => x.in === 'path')) {
    for (const m of coreAndDrawn(pathMutations(p, a, b), prng, ctx.perField)) cases.push(jsonCase(op, { ...base, path: { ...base.path, [p.name]: m.raw } }, keyFor, `path.${p.name}`, m.input));
  }
  // Query parameters (every declared one, added to the baseline), repeated and bracketed.
  for (const p of op.parameters.filter((x) => x.in === 'query')) {
    const others = base.query.filter(([k]) => k !== p.name);
    for (const m of coreAndDrawn(queryMutations(p, a, b), prng, ctx.perField)) cases.push(jsonCase(op, { ...base, query: [...others, [p.name, m.raw]] }, keyFor, `query.${p.name}`, m.input));
    const valid = encodeURIComponent(String(validValue(p.schema, p.name, a)));
    cases.push(jsonCase(op, { ...base, query: [...others, [p.name, valid], [p.name, valid]] }, keyFor, `query.${p.name}`, 'repeated parameter'));
    cases.push(jsonCase(op, { ...base, query: [...others, [`${p.name}[a]`, valid]] }, keyFor, `query.${p.name}`, 'bracketed parameter'));
  }
  if (op.parameters.some((x) => x.in === 'query')) {
    cases.push(jsonCase(op, { ...base, query: [...base.query, ['unknown_param', 'x']] }, keyFor, 'query', 'unknown parameter'));
    cases.push(jsonCase(op, { ...base, query: Array.from({ length: 500 }, (_, i) => [`p${i}`, 'x'] as [string, string]) }, keyFor, 'query', '500 parameters'));
  }

  // Body fields.
  if (op.body && op.body.contentType === 'application/json') {
    const root = op.body.schema;
    for (const f of fieldsOf(root)) {
      const name = String(f.path.filter((s) => typeof s === 'string').at(-1) ?? '');
      for (const m of coreAndDrawn(bodyMutations(f.schema, name, f.required, f.path.length === 1, a, b), prng, ctx.perField)) {
        const body = setAt(base.body, f.path, m.value, root, a);
        cases.push(jsonCase(op, { ...base, body }, keyFor, `body.${fieldName(f.path)}`, m.input, { ...(m.wrongType ? { expect: 'strict type' as const } : {}), replay }));
      }
    }
    // The body as a whole.
    const raw = (input: string, payload: string, contentType = 'application/json', expect?: Expectation): RestCase => ({
      target: targetOf(op),
      field: 'body',
      input,
      method: op.method,
      url: buildUrl(op, base),
      headers: { ...(keyFor ? { 'x-api-key': keyFor } : {}), 'content-type': contentType },
      payload,
      ...(expect ? { expect } : {}),
    });
    const valid = toJsonText(base.body);
    for (const [input, payload] of Object.entries({
      'malformed JSON (truncated)': valid.slice(0, -1),
      'malformed JSON (trailing comma)': valid.replace(/}$/, ',}'),
      'malformed JSON (single quotes)': "{'a': 1}",
      'malformed JSON (NUL)': '\u0000',
      'malformed JSON (lone surrogate in text)': `{"a":"\ud800"}`,
      'empty body': '',
      'top-level null': 'null',
      'top-level array': '[]',
      'top-level string': '"x"',
      'top-level number': '12',
      'deep array body (5000)': deepArrayText(5_000),
      'deep object body (5000)': deepObjectText(5_000),
      'deep array body (100000)': deepArrayText(100_000),
      '__proto__ body': '{"__proto__":{"polluted":true}}',
      'duplicate keys': valid.replace(/^\{/, '{"__dup":1,"__dup":2,'),
      'unknown field': toJsonText({ ...(base.body as object), unknown_field: 1 }),
      '300 unknown fields': toJsonText({ ...(base.body as object), ...Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`unknown_${i}`, i])) }),
      'body over the size limit (6 MB)': toJsonText({ ...(base.body as object), padding: 'x'.repeat(6 * MEGABYTE) }),
    })) cases.push(raw(input, payload));
    const form = new URLSearchParams(Object.entries(base.body as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
    cases.push(raw('form-urlencoded body', form, 'application/x-www-form-urlencoded', 'unsupported media type'));
    cases.push(raw('text/plain body', valid, 'text/plain', 'unsupported media type'));
    cases.push(raw('XML body', '<a>1</a>', 'application/xml', 'unsupported media type'));
    cases.push(raw('multipart body', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--', 'multipart/form-data; boundary=x', 'unsupported media type'));
    cases.push(raw('JSON with charset utf-16', valid, 'application/json; charset=utf-16'));
    cases.push(raw('JSON content type with parameters', valid, 'application/json; charset=utf-8; foo=bar'));
  } else if (op.method === 'POST') {
    cases.push({ ...jsonCase(op, base, keyFor, 'body', 'unexpected JSON body'), headers: { ...(keyFor ? { 'x-api-key': keyFor } : {}), 'content-type': 'application/json' }, payload: deepObjectText(5_000) });
    cases.push({ ...jsonCase(op, base, keyFor, 'body', 'unexpected form body'), headers: { ...(keyFor ? { 'x-api-key': keyFor } : {}), 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1&b=2' });
  }

  // Methods the path does not have.
  for (const method of METHODS.filter((m) => !pathMethods.includes(m))) {
    cases.push({ ...jsonCase(op, base, keyFor, 'method', `wrong method ${method}`), method, expect: 'method not allowed' });
  }
  cases.push({ ...jsonCase(op, base, keyFor, 'method', 'OPTIONS without CORS headers'), method: 'OPTIONS' });

  // Credentials.
  if (!op.public) {
    const withKey = (k: string | null, input: string, req: Request = base) => cases.push(jsonCase(op, req, k, 'credentials', input));
    withKey(null, 'no credentials');
    withKey('garbage-key', 'garbage key');
    withKey(`${key}\u0000`, 'key with NUL');
    withKey('x'.repeat(10_000), 'huge key');
    withKey(b.apiKey, "other business's key");
    if ('business_id' in base.path) {
      withKey(ctx.serviceKey, 'service key naming an unknown business', { ...base, path: { ...base.path, business_id: 'no-such-business' } });
    }
    cases.push({ ...jsonCase(op, base, null, 'credentials', 'Bearer garbage token'), headers: { ...jsonCase(op, base, null, '', '').headers, authorization: 'Bearer a.b.c' } });
    cases.push({ ...jsonCase(op, base, null, 'credentials', 'cookie with garbage'), headers: { ...jsonCase(op, base, null, '', '').headers, cookie: 'omega_api_key=%ED%A0%80; omega_session=x.y.z' } });
  }

  // Seeded random cases: several fields broken at once.
  if (op.body && op.body.contentType === 'application/json') {
    const fields = fieldsOf(op.body.schema);
    for (let i = 0; i < ctx.randomCases && fields.length; i++) {
      let body = base.body;
      const picked: string[] = [];
      for (let j = 0, n = 2 + prng.int(3); j < n; j++) {
        const f = prng.pick(fields);
        const name = String(f.path.filter((s) => typeof s === 'string').at(-1) ?? '');
        const m = prng.pick(bodyMutations(f.schema, name, f.required, f.path.length === 1, a, b).filter((x) => !(x.value instanceof RawJson) || x.value.text.length < 1000));
        body = setAt(body, f.path, m.value, op.body.schema, a);
        picked.push(`${fieldName(f.path)}=${m.input}`);
      }
      cases.push(jsonCase(op, { ...base, body }, keyFor, 'body (random)', `random: ${picked.join('; ')}`, { replay }));
    }
  }
  return cases;
}

