// The rules every REST answer to a fuzzed request must keep, as failures for the log.
import type { Failure } from './failures.js';
import type { RestCase } from './restCase.js';

/** A 422 echoes at most 1 KB of the input; with its message and location, an error stays under this. */
export const MAX_ERROR_BODY_BYTES = 8 * 1024;

export interface RestAnswer {
  status: number;
  body: string;
  headers: Record<string, unknown>;
  error?: string;
}

/** The error code of a REST error body, if it has one. */
function codeOf(body: string): string | undefined {
  try {
    const code = (JSON.parse(body) as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** What kind of error a body is, to group oversized ones: its code, or a 422's first issue type. */
function kindOf(body: string): string {
  const code = codeOf(body);
  if (code) return code;
  try {
    const issue = (JSON.parse(body) as { detail?: { type?: unknown }[] } | null)?.detail?.[0];
    return typeof issue?.type === 'string' ? `422 ${issue.type}` : 'unknown error';
  } catch {
    return 'not JSON';
  }
}

/** What a business key naming a business not its own may get: nothing that says whether the business exists. */
const OTHER_BUSINESS_CODES = ['BUSINESS_FORBIDDEN', 'SERVICE_KEY_REQUIRED'];

function shapeProblem(status: number, body: string): string | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'not JSON';
  }
  const detail = (json as { detail?: unknown } | null)?.detail;
  if (typeof detail === 'string') return typeof (json as { code?: unknown }).code === 'string' ? null : 'detail without a string code';
  if (status === 422 && Array.isArray(detail) && detail.length > 0) {
    const bad = detail.find((d: { type?: unknown; loc?: unknown; msg?: unknown }) => typeof d?.type !== 'string' || !Array.isArray(d?.loc) || typeof d?.msg !== 'string');
    return bad ? 'a 422 issue without {type, loc, msg}' : null;
  }
  return 'neither {detail: string, code: string} nor a 422 {detail: [{type, loc, msg}]}';
}

export function checkRestAnswer(c: RestCase, answer: RestAnswer): Failure[] {
  const base = { target: c.target, field: c.field, input: c.input, status: answer.status, body: answer.body.slice(0, 400), ...(answer.error ? { error: answer.error } : {}) };
  const failures: Failure[] = [];
  if (answer.status >= 500) failures.push({ check: '5xx', ...base });
  if (answer.status >= 400 && answer.status < 500) {
    const problem = shapeProblem(answer.status, answer.body);
    if (problem) failures.push({ check: '4xx body shape', ...base, error: problem });
    const bytes = Buffer.byteLength(answer.body);
    if (bytes > MAX_ERROR_BODY_BYTES) failures.push({ check: '4xx body size', ...base, error: `${kindOf(answer.body)}: ${bytes} bytes` });
  }
  if (c.expect === 'strict type' && answer.status < 400) failures.push({ check: 'wrong type accepted', ...base });
  if (c.expect === 'method not allowed' && (answer.status !== 405 || !answer.headers['allow'])) {
    failures.push({ check: 'wrong method not 405 with Allow', ...base });
  }
  if (c.expect === 'unsupported media type' && answer.status !== 415) failures.push({ check: 'non-JSON body not 415', ...base });
  if (c.expect === 'unknown business' && (answer.status !== 404 || codeOf(answer.body) !== 'BUSINESS_NOT_FOUND')) {
    failures.push({ check: 'unknown business', ...base });
  }
  if (c.expect === 'other business' && (answer.status !== 403 || !OTHER_BUSINESS_CODES.includes(codeOf(answer.body) ?? ''))) {
    failures.push({ check: 'other business', ...base });
  }
  return failures;
}
