// Every place an operation names a business (path, query string, JSON body at any depth), named
// with a business that does not exist and with another business's id: a service key naming an
// unknown business gets 404 BUSINESS_NOT_FOUND, a business key naming any business but its own gets
// 403 (so nobody learns which businesses exist), and nothing gets a 5xx.
import { fieldName, fieldsOf, setAt } from './bodyFields.js';
import { targetOf, type Operation } from './openapiOperations.js';
import { baselineOf, jsonCase, type OperationContext, type RestCase, type RestRequest } from './restCase.js';

/** A business id no tenant has. */
export const UNKNOWN_BUSINESS_ID = 'fuzz-no-such-business';

/**
 * Operations whose business id names the business they create: an unknown id is their success (and
 * would create the business the other operations are told does not exist), so only business keys.
 */
const CREATES_THE_BUSINESS = new Set(['POST /business/onboard']);

/** Fields a body is deduplicated by: a value already used in another business is refused as taken. */
const IDEMPOTENCY_FIELDS = ['provider_message_id', 'event_id', 'request_id'];

/** The body with values no business used in its idempotency fields; the same body when it has none. */
function withFreshIds(body: unknown, salt: string): unknown {
  if (!body || typeof body !== 'object' || !IDEMPOTENCY_FIELDS.some((k) => k in body)) return body;
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, IDEMPOTENCY_FIELDS.includes(k) ? `fuzz-unknown-business ${salt} ${k}` : v]));
}

interface Place {
  field: string;
  /** The baseline request with `id` as the business. */
  with(id: string): RestRequest;
}

function placesOf(op: Operation, base: RestRequest, ctx: Pick<OperationContext, 'a'>): Place[] {
  const places: Place[] = [];
  for (const p of op.parameters.filter((x) => x.name === 'business_id')) {
    if (p.in === 'path') places.push({ field: 'path.business_id', with: (id) => ({ ...base, path: { ...base.path, business_id: encodeURIComponent(id) } }) });
    if (p.in === 'query') {
      const others = base.query.filter(([k]) => k !== p.name);
      places.push({ field: 'query.business_id', with: (id) => ({ ...base, query: [...others, [p.name, encodeURIComponent(id)]] }) });
    }
  }
  if (op.body?.contentType === 'application/json') {
    // Also with fresh idempotency ids: the example's (a provider message id the baseline recorded)
    // are refused as another business's first, and would hide what an unknown business does.
    const fresh = withFreshIds(base.body, op.path);
    for (const f of fieldsOf(op.body.schema).filter((x) => x.path.at(-1) === 'business_id')) {
      places.push({ field: `body.${fieldName(f.path)}`, with: (id) => ({ ...base, body: setAt(base.body, f.path, id, op.body!.schema, ctx.a) }) });
      if (fresh !== base.body) places.push({ field: `body.${fieldName(f.path)} (fresh idempotency ids)`, with: (id) => ({ ...base, body: setAt(fresh, f.path, id, op.body!.schema, ctx.a) }) });
    }
  }
  return places;
}

/** The business-id cases of one keyed operation (webhooks carry no key: their ids are fuzzed with their cases). */
export function businessIdCases(op: Operation, ctx: OperationContext): RestCase[] {
  if (op.public) return [];
  const { a, b, serviceKey } = ctx;
  const base = baselineOf(op, ctx);
  const cases: RestCase[] = [];
  const creates = CREATES_THE_BUSINESS.has(targetOf(op));
  for (const place of placesOf(op, base, ctx)) {
    const add = (key: string, id: string, input: string, expect: RestCase['expect']) => cases.push(jsonCase(op, place.with(id), key, place.field, input, { expect }));
    if (!creates) {
      add(serviceKey, UNKNOWN_BUSINESS_ID, 'service key, unknown business', 'unknown business');
      add(serviceKey, a.id.toUpperCase(), "service key, unknown business (a business's id in capitals)", 'unknown business');
      add(serviceKey, '6f9619ff-8b86-4d01-b42d-00cf4fc964ff', 'service key, unknown business (uuid-shaped id)', 'unknown business');
    }
    add(a.apiKey, b.id, "business key, the other business's id", 'other business');
    add(a.apiKey, UNKNOWN_BUSINESS_ID, 'business key, unknown business', 'other business');
  }
  return cases;
}
