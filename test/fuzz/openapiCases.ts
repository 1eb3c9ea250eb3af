// Requests generated from /openapi.json: for each operation a valid baseline, then one request per
// (field, hostile value), plus body-level, method and credential variants, plus seeded random cases
// that break several fields at once. Pure: it reads the document and returns requests.
import { fieldName, fieldsOf, setAt } from './bodyFields.js';
import { businessIdCases } from './businessIdCases.js';
import { bodyMutations, pathMutations, queryMutations } from './fieldMutations.js';
import { deepArrayText, deepObjectText, RawJson, toJsonText } from './jsonText.js';
import { MEGABYTE } from './nastyValues.js';
import { oversizeCases } from './oversizeCases.js';
import { targetOf, type Operation } from './openapiOperations.js';
import { coreAndDrawn } from './prng.js';
import { baselineOf, buildUrl, jsonCase, type Expectation, type OperationContext, type RestCase, type RestRequest } from './restCase.js';
import { validValue } from './validValues.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

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
    }))
      cases.push(raw(input, payload));
    const form = new URLSearchParams(Object.entries(base.body as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
    cases.push(raw('form-urlencoded body', form, 'application/x-www-form-urlencoded', 'unsupported media type'));
    cases.push(raw('text/plain body', valid, 'text/plain', 'unsupported media type'));
    cases.push(raw('XML body', '<a>1</a>', 'application/xml', 'unsupported media type'));
    cases.push(raw('multipart body', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--', 'multipart/form-data; boundary=x', 'unsupported media type'));
    cases.push(raw('JSON with charset utf-16', valid, 'application/json; charset=utf-16'));
    cases.push(raw('JSON content type with parameters', valid, 'application/json; charset=utf-8; foo=bar'));
  } else if (op.method === 'POST') {
    cases.push({
      ...jsonCase(op, base, keyFor, 'body', 'unexpected JSON body'),
      headers: { ...(keyFor ? { 'x-api-key': keyFor } : {}), 'content-type': 'application/json' },
      payload: deepObjectText(5_000),
    });
    cases.push({
      ...jsonCase(op, base, keyFor, 'body', 'unexpected form body'),
      headers: { ...(keyFor ? { 'x-api-key': keyFor } : {}), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a=1&b=2',
    });
  }

  // Methods the path does not have.
  for (const method of METHODS.filter((m) => !pathMethods.includes(m))) {
    cases.push({ ...jsonCase(op, base, keyFor, 'method', `wrong method ${method}`), method, expect: 'method not allowed' });
  }
  cases.push({ ...jsonCase(op, base, keyFor, 'method', 'OPTIONS without CORS headers'), method: 'OPTIONS' });

  // Credentials, and every place that names a business.
  cases.push(...businessIdCases(op, ctx));
  if (!op.public) {
    const withKey = (k: string | null, input: string, req: RestRequest = base) => cases.push(jsonCase(op, req, k, 'credentials', input));
    withKey(null, 'no credentials');
    withKey('garbage-key', 'garbage key');
    withKey(`${key}\u0000`, 'key with NUL');
    withKey('x'.repeat(10_000), 'huge key');
    withKey(b.apiKey, "other business's key");
    cases.push({ ...jsonCase(op, base, null, 'credentials', 'Bearer garbage token'), headers: { ...jsonCase(op, base, null, '', '').headers, authorization: 'Bearer a.b.c' } });
    cases.push({ ...jsonCase(op, base, null, 'credentials', 'cookie with garbage'), headers: { ...jsonCase(op, base, null, '', '').headers, cookie: 'omega_api_key=%ED%A0%80; omega_session=x.y.z' } });
  }

  // Huge keys, long paths, Content-Type and headers.
  cases.push(...oversizeCases(op, ctx, base, keyFor, pathMethods));

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
