// Oversized parts of a request other than field values: huge object keys in JSON bodies, very long
// paths (on real routes, unknown paths and wrong methods, so the 404 and 405 answers see them), a
// very long Content-Type, and long credential, cookie and Origin headers. Whatever answers them
// (404, 405, 415, 401, 403, 422) keeps its body to a few KB: nothing is echoed whole.
import { fieldsOf, setAt } from './bodyFields.js';
import { RawJson, toJsonText } from './jsonText.js';
import type { Operation } from './openapiOperations.js';
import { buildUrl, jsonCase, type OperationContext, type RestCase, type RestRequest } from './restCase.js';

/** A very long path, Content-Type or header value: under Node's 16 KB header limit, over any error body's few KB. */
export const LONG = 12 * 1024;
const KB = 1024;

const long = (unit: string, bytes = LONG) => unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);

/** `count` distinct keys of `bytes` bytes each. */
const hugeKeys = (count: number, bytes: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`${i}`.padEnd(bytes, 'k'), i]));

/** JSON body cases: the baseline with huge keys at the top, inside a nested object, and holding bytes the body parser refuses. */
function hugeKeyBodies(op: Operation, base: RestRequest, ctx: Pick<OperationContext, 'a'>): [string, string][] {
  const top = (extra: Record<string, unknown>) => toJsonText({ ...(base.body as object), ...extra });
  const out: [string, string][] = [
    ['one key of 200 KB', top(hugeKeys(1, 200 * KB))],
    ['25 keys of 100 KB', top(hugeKeys(25, 100 * KB))],
    // The body parser refuses these and says where: a path made of the key.
    ['a key of 200 KB holding a lone surrogate', top({ [`${long('k', 200 * KB)}\ud800`]: 1 })],
    ['a key of 200 KB holding a NUL', top({ [`${long('k', 200 * KB)}\u0000`]: 1 })],
    ['a key of 200 KB holding a string with NUL', top({ [long('k', 200 * KB)]: 'a\u0000b' })],
    ['__proto__ under a key of 200 KB', top({ [long('k', 200 * KB)]: new RawJson('{"__proto__":{"polluted":true}}') })],
    ['a key of 200 KB over the depth limit', top({ [long('k', 200 * KB)]: new RawJson(`${'['.repeat(100)}${']'.repeat(100)}`) })],
  ];
  // A free-form object (metadata, settings) may take any key: one of 200 KB inside it.
  const nested = fieldsOf(op.body!.schema).find((f) => typeof f.path.at(-1) === 'string' && [f.schema.type].flat().includes('object'));
  if (nested) out.push([`one key of 200 KB inside ${nested.path.join('.')}`, toJsonText(setAt(base.body, nested.path, hugeKeys(1, 200 * KB), op.body!.schema, ctx.a))]);
  return out;
}

/** The oversize cases of one operation; `key` is what its other cases send (null on public routes). */
export function oversizeCases(op: Operation, ctx: OperationContext, base: RestRequest, key: string | null, pathMethods: string[]): RestCase[] {
  const cases: RestCase[] = [];
  const keyHeader: Record<string, string> = key ? { 'x-api-key': key } : {};
  const json = op.body?.contentType === 'application/json';
  const payload = base.body !== undefined ? toJsonText(base.body) : undefined;
  const add = (field: string, input: string, over: Partial<RestCase>) => cases.push({ ...jsonCase(op, base, key, field, input), ...over });

  // Huge keys in the JSON body.
  if (json) for (const [input, body] of hugeKeyBodies(op, base, ctx)) add('body (keys)', input, { payload: body });

  // Long paths: a path parameter of 12 KB, a 12 KB segment past the route, and the same with a method the path lacks.
  const path = buildUrl(op, { ...base, query: [] });
  const query = buildUrl(op, base).slice(path.length);
  const params = op.parameters.filter((p) => p.in === 'path');
  if (params.length) {
    const longParams = Object.fromEntries(params.map((p) => [p.name, long('x')]));
    add('path', 'every path parameter 12 KB', { url: buildUrl(op, { ...base, path: longParams }) });
    add('path', 'a path parameter of 12 KB of multibyte characters', { url: buildUrl(op, { ...base, path: { ...base.path, [params[0]!.name]: long('%F0%9F%98%80') } }) });
    // At the router's limit (512) the route still matches: a method it lacks gets 405 and says which path.
    const lacking = ['PUT', 'PATCH', 'DELETE', 'GET', 'POST'].find((m) => !pathMethods.includes(m))!;
    const atLimit = buildUrl(op, { ...base, path: Object.fromEntries(params.map((p) => [p.name, 'x'.repeat(512)])) });
    add('method', `wrong method ${lacking}, path parameters at the limit (512)`, { method: lacking, url: atLimit, expect: 'method not allowed' });
    add('method', `wrong method ${lacking}, path parameters of 12 KB`, { method: lacking, url: buildUrl(op, { ...base, path: longParams }) });
  }
  add('path', 'a 12 KB segment past the route', { url: `${path}/${long('x')}${query}` });
  add('path', 'the route repeated to 12 KB', { url: `${long(path)}${query}` });
  const wrong = ['PUT', 'PATCH', 'DELETE'].find((m) => !pathMethods.includes(m));
  if (wrong) {
    add('method', `wrong method ${wrong}, a 12 KB segment past the route`, { method: wrong, url: `${path}/${long('x')}` });
    add('method', `wrong method ${wrong}, a 12 KB query string`, { method: wrong, url: `${path}?${long('q')}=${long('v', 2 * KB)}`, expect: 'method not allowed' });
  }

  // A 12 KB Content-Type: JSON with parameters, and a type nobody reads.
  if (json) {
    add('header.content-type', 'JSON Content-Type with 12 KB of parameters', { headers: { ...keyHeader, 'content-type': `application/json; ${long('p=v; ')}` }, payload });
    add('header.content-type', '12 KB unknown Content-Type', { headers: { ...keyHeader, 'content-type': `application/${long('x')}` }, payload, expect: 'unsupported media type' });
    add('header.content-type', '12 KB Content-Type of parameters only', { headers: { ...keyHeader, 'content-type': long(';') }, payload });
  }

  // Long credential, cookie and Origin headers (an Origin alone and with the cookie it would use).
  const bodyHeaders: Record<string, string> = payload !== undefined ? { 'content-type': 'application/json' } : {};
  const headerCase = (field: string, input: string, headers: Record<string, string>) => add(`header.${field}`, input, { headers: { ...bodyHeaders, ...headers } });
  headerCase('x-api-key', '12 KB x-api-key shaped like a key', { 'x-api-key': `omega_${long('k')}` });
  headerCase('authorization', '12 KB bearer token shaped like a JWT', { authorization: `Bearer ${long('a', 4 * KB)}.${long('b', 4 * KB)}.${long('c', 4 * KB)}` });
  headerCase('authorization', '12 KB bearer API key', { authorization: `Bearer omega_${long('k')}` });
  headerCase('authorization', '12 KB authorization of another scheme', { authorization: `Basic ${long('Zm9v')}` });
  headerCase('cookie', '12 KB omega_api_key cookie', { cookie: `omega_api_key=omega_${long('k')}` });
  headerCase('cookie', '12 KB omega_session cookie', { cookie: `omega_session=${long('s')}` });
  headerCase('cookie', '12 KB of cookies', { cookie: long('c=1; ') });
  headerCase('origin', '12 KB Origin with an API key', { ...keyHeader, origin: `https://${long('o')}.example` });
  if (key) {
    headerCase('origin', '12 KB Origin with the API key as a cookie', { cookie: `omega_api_key=${key}`, origin: `https://${long('o')}.example` });
    add('header.origin', 'preflight from a 12 KB Origin', {
      method: 'OPTIONS',
      headers: { origin: `https://${long('o')}.example`, 'access-control-request-method': op.method, 'access-control-request-headers': long('x-h,', 2 * KB) },
      payload: undefined,
    });
  }
  return cases;
}

/** Unknown paths, 12 KB long, under each method: the 404 (or 405) answer does not echo them whole. */
export function unknownPathCases(key: string): RestCase[] {
  const target = 'unknown path';
  const c = (method: string, url: string, input: string, extra: Partial<RestCase> = {}): RestCase => ({ target, field: 'path', input, method, url, headers: { 'x-api-key': key }, ...extra });
  return [
    c('GET', `/${long('x')}`, '12 KB path'),
    c('POST', `/nope/${long('x')}`, '12 KB path with a JSON body', { headers: { 'x-api-key': key, 'content-type': 'application/json' }, payload: '{"a":1}' }),
    c('DELETE', `/businesses/${long('x')}`, '12 KB path under a known prefix'),
    c('PUT', `/sms/send/${long('x')}`, '12 KB segment past a known route, wrong method'),
    c('GET', `/${long('a/')}`, '12 KB path of 6,000 segments'),
    c('GET', `/${long('%F0%9F%98%80')}`, '12 KB path of percent-encoded emoji'),
    c('GET', `/${long('%ED%A0%80')}`, '12 KB path of lone surrogates (CESU-8 bytes)'),
    c('GET', `/${long('%ZZ')}`, '12 KB path of broken percent escapes'),
    c('GET', `/nope?${long('k')}=1`, '12 KB query key on an unknown path'),
    c('GET', `/${long('x')}`, '12 KB path, no credentials', { headers: {} }),
    c('OPTIONS', `/${long('x')}`, '12 KB path, preflight', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } }),
    c('HEAD', `/${long('x')}`, '12 KB path, HEAD'),
  ];
}
