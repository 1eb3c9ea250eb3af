// The one mapping from errors to HTTP responses. Validation problems answer 422 in FastAPI's shape
// ({"detail": [{type, loc, msg, input}]}); everything else answers {"detail": "...", "code": "..."}.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isConnectionError } from '../src/db/isConnectionError.js';
import { dataErrorDetail, isDataError } from '../src/db/isDataError.js';
import { DomainError, RateLimitedError, ValidationError, type FieldIssue } from '../src/domain/errors.js';
import { BodyRejection } from '../src/http/bodyParsers.js';
import { clip } from '../src/http/clip.js';
import { HTTP_STATUS } from '../src/http/httpStatus.js';
import { describeRequestError } from '../src/http/requestErrors.js';

/** A 422 echoes at most this much of each invalid input (FastAPI echoes all of it: 1 MB in, 1 MB out). */
export const MAX_ECHOED_INPUT = 1024;
/** An error's detail repeats what it names (an id, a header) at most this long. */
const MAX_DETAIL = 1000;

const LOCATION: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const TYPES: Record<string, string> = {
  required: 'missing',
  enum: 'enum',
  const: 'literal_error',
  minLength: 'string_too_short',
  maxLength: 'string_too_long',
  pattern: 'string_pattern_mismatch',
  minimum: 'greater_than_equal',
  maximum: 'less_than_equal',
  exclusiveMinimum: 'greater_than',
  exclusiveMaximum: 'less_than',
  minItems: 'too_short',
  maxItems: 'too_long',
  additionalProperties: 'extra_forbidden',
  format: 'value_error',
};

function valueAt(root: unknown, segments: string[]): unknown {
  let value = root;
  for (const s of segments) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[s] : undefined;
  return value;
}

function fromAjv(errors: AjvError[], context: string, request: FastifyRequest): FieldIssue[] {
  const part = LOCATION[context] ?? context;
  const source = { body: request.body, querystring: request.query, params: request.params, headers: request.headers }[context];
  return errors.map((e) => {
    const segments = e.instancePath
      .split('/')
      .filter(Boolean)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const loc: (string | number)[] = [part, ...segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s))];
    if (e.keyword === 'required') loc.push(String(e.params['missingProperty']));
    if (e.keyword === 'additionalProperties') loc.push(String(e.params['additionalProperty']));
    const type = e.keyword === 'type' ? `${String(e.params['type']).split(',')[0]}_type` : (TYPES[e.keyword] ?? 'value_error');
    const msg =
      e.keyword === 'required'
        ? 'Field required'
        : e.keyword === 'additionalProperties'
          ? 'Extra inputs are not permitted'
          : e.keyword === 'enum'
            ? `Input should be ${(e.params['allowedValues'] as unknown[]).map((v) => `'${String(v)}'`).join(', ')}`
            : `Input ${e.message ?? 'is invalid'}`;
    // As pydantic reports them: a missing field echoes the object it is missing from, an extra one its own value.
    const at = e.keyword === 'additionalProperties' ? [...segments, String(e.params['additionalProperty'])] : segments;
    return { type, loc, msg, input: valueAt(source, at) ?? null };
  });
}

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/**
 * The invalid input as a 422 shows it: as it was when small; a longer string cut to its first
 * MAX_ECHOED_INPUT characters, and a larger object or array as the start of its JSON text.
 */
export function echoedInput(input: unknown): unknown {
  if (typeof input === 'string') return input.length > MAX_ECHOED_INPUT ? `${input.slice(0, MAX_ECHOED_INPUT)}… (${input.length} characters)` : input;
  if (input === null || typeof input !== 'object') return input ?? null;
  let text: string;
  try {
    text = JSON.stringify(input);
  } catch {
    return null;
  }
  return text.length > MAX_ECHOED_INPUT ? `${text.slice(0, MAX_ECHOED_INPUT)}… (${text.length} characters of JSON)` : input;
}

/** A 422 lists at most this many problems (one per field; an object with 10,000 unknown keys has 10,000). */
export const MAX_ISSUES = 20;
/** Past this much echoed input in one answer, further inputs are cut to their first 64 characters. */
const ECHO_BUDGET = 4 * 1024;

function sendIssues(reply: FastifyReply, issues: FieldIssue[]): FastifyReply {
  let echoed = 0;
  const shown = issues.slice(0, MAX_ISSUES).map((issue) => {
    let input = echoedInput(issue.input);
    const size = typeof input === 'string' ? input.length : (JSON.stringify(input) ?? '').length;
    if (echoed + size > ECHO_BUDGET) {
      const text = typeof input === 'string' ? input : (JSON.stringify(input) ?? '');
      input = text.length > 64 ? `${text.slice(0, 64)}…` : input;
    }
    echoed += size;
    return { ...issue, loc: issue.loc.map((l) => (typeof l === 'string' ? clip(l, 64) : l)), msg: clip(issue.msg, 500), input };
  });
  if (issues.length > MAX_ISSUES) {
    shown.push({ type: 'too_many_errors', loc: shown.at(-1)!.loc.slice(0, 1), msg: `and ${issues.length - MAX_ISSUES} more problems; fix these first`, input: null });
  }
  return send(reply, 422, { detail: shown });
}

type Loc = (string | number)[];

/**
 * REST names that are not the snake_case of the domain field, keyed by a domain path prefix; the
 * value replaces that prefix. List filters are flat fields of the query (or body); the search text
 * is `q`; a sender or recorder is `staff_id`; a search page's keyset is its `cursor`.
 */
const REST_NAMES: Record<string, Loc> = { filter: [], query: ['q'], authorStaffId: ['staff_id'], afterId: ['cursor'] };
/** The same, for one route ('METHOD /url'), where it differs from REST_NAMES. */
const ROUTE_REST_NAMES: Record<string, Record<string, Loc>> = {
  'POST /businesses/:business_id/conversations/:conversation_id/notes': { authorStaffId: ['author_staff_id'] },
  // The domain's target ({ ids } or { filter }) is the body's top level.
  'POST /businesses/:business_id/conversations/bulk': { target: [], 'target.ids': ['ids'], 'target.filter': ['filter'] },
};

const snakeCase = (s: string | number) => (typeof s === 'string' ? s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : s);

function renamed(loc: Loc, names: Record<string, Loc> | undefined): Loc | undefined {
  for (let n = loc.length; names && n > 0; n--) {
    const key = loc.slice(0, n).join('.');
    if (Object.hasOwn(names, key)) return [...names[key]!, ...loc.slice(n).map(snakeCase)];
  }
  return undefined;
}

/**
 * Where a domain field sits in a REST request: domain errors name the domain input's fields
 * (['mediaUrls', 0]), REST names them as FastAPI would (['body', 'media_urls', 0]). A field is in
 * the path when the route has a parameter of its name, else in the query string of a GET or
 * DELETE, else in the body. The one mapping; handlers and the domain never build REST paths.
 */
export function restLoc(request: FastifyRequest, loc: Loc): Loc {
  const route = `${request.method} ${request.routeOptions.url ?? ''}`;
  const names = renamed(loc, ROUTE_REST_NAMES[route]) ?? renamed(loc, REST_NAMES) ?? loc.map(snakeCase);
  const first = names[0];
  const params = (request.params ?? {}) as Record<string, unknown>;
  const part = typeof first === 'string' && Object.hasOwn(params, first) ? 'path' : request.method === 'GET' || request.method === 'DELETE' ? 'query' : 'body';
  return [part, ...names];
}

export function sendDomainError(reply: FastifyReply, err: DomainError, request: FastifyRequest): FastifyReply {
  if (err instanceof ValidationError)
    return sendIssues(
      reply,
      err.issues.map((issue) => ({ ...issue, loc: restLoc(request, issue.loc) })),
    );
  if (err instanceof RateLimitedError) reply.header('retry-after', String(err.retryAfterSeconds));
  return send(reply, HTTP_STATUS[err.kind], { detail: clip(err.message, MAX_DETAIL), code: err.code });
}

export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof DomainError) return sendDomainError(reply, error, request);
  const fe = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (fe.validation) return sendIssues(reply, fromAjv(fe.validation, fe.validationContext ?? 'body', request));
  if (error instanceof BodyRejection) {
    return sendIssues(reply, [{ type: error.reason === 'string_unicode' ? 'string_type' : 'json_invalid', loc: ['body', ...error.path], msg: error.message, input: null }]);
  }
  if (isConnectionError(error)) {
    request.log.error({ err: error }, 'database unreachable');
    return send(reply, 503, { detail: 'The database is unreachable; try again shortly.', code: 'DATABASE_UNAVAILABLE' });
  }
  if (isDataError(error)) {
    request.log.warn({ err: error }, 'invalid value reached the database');
    const detail = dataErrorDetail(error);
    return send(reply, 422, { detail: [{ type: 'value_error', loc: ['request'], msg: `A value in the request is not valid${detail ? `: ${detail}` : ''}`, input: null }] });
  }
  const refused = describeRequestError(error, request);
  if (refused) return send(reply, refused.status, { detail: refused.detail, code: refused.code });
  request.log.error({ err: error }, 'unhandled error');
  return send(reply, 500, { detail: 'Internal server error', code: 'INTERNAL' });
}
