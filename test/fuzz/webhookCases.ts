// Provider webhooks fuzzed past their signature check: Twilio form bodies signed as Twilio signs
// them (HMAC over the public URL and the fields the server will parse), Twilio's signed JSON bodies
// (bodySHA256), and Resend events signed with svix headers, each with hostile fields.
import { createHash } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import twilio from 'twilio';
import { formParams } from '../../src/http/verifyTwilioSignature.js';
import type { Tenant } from './fuzzWorld.js';
import { PUBLIC_URL, RESEND_SECRET, TWILIO_AUTH_TOKEN } from './fuzzWorld.js';
import { deepArrayText, deepObjectText, RawJson, toJsonText } from './jsonText.js';
import { JSON_TYPE_SAMPLES, NASTY_ENCODED, NASTY_PARAM_NUMBERS, NASTY_STRINGS, deepArray, deepObject, hugeString } from './nastyValues.js';
import { targetOf, type Operation } from './openapiOperations.js';
import { coreAndDrawn, type Prng } from './prng.js';
import type { RestCase } from './restCase.js';

/** Percent-encodes as a form does; lone surrogates become U+FFFD as any UTF-8 encoder makes them. */
function formEncode(value: string): string {
  return Array.from(Buffer.from(value, 'utf8'), (byte) => {
    const c = String.fromCharCode(byte);
    return /[A-Za-z0-9\-_.*]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

type Fields = [string, string][];

const formText = (fields: Fields, raw: Record<string, string> = {}) => fields.map(([k, v]) => `${formEncode(k)}=${raw[k] ?? formEncode(v)}`).join('&');

/** A form POST signed exactly as Twilio signs it: over the public URL and the fields as the server parses them. */
export function signedTwilioForm(target: string, url: string, body: string, field: string, input: string): RestCase {
  const signature = twilio.getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, `${PUBLIC_URL}${url}`, formParams(body));
  return { target, field, input, method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, payload: body };
}

/** A JSON POST signed as Twilio signs non-form bodies: the body's SHA-256 in the URL, the URL signed. */
export function signedTwilioJson(target: string, path: string, query: string, body: string, field: string, input: string): RestCase {
  const hash = createHash('sha256').update(Buffer.from(body, 'utf8')).digest('hex');
  const url = `${path}?${query ? `${query}&` : ''}bodySHA256=${hash}`;
  const signature = twilio.getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, `${PUBLIC_URL}${url}`, {});
  return { target, field, input, method: 'POST', url, headers: { 'content-type': 'application/json', 'x-twilio-signature': signature }, payload: body };
}

interface TwilioBaseline {
  name: string;
  query: [string, string][];
  fields: Fields;
}

function twilioBaselines(path: string, a: Tenant, prng: Prng): TwilioBaseline[] {
  const hex = () => Array.from({ length: 32 }, () => prng.int(16).toString(16)).join('');
  const staffIdentity = `client:staff_${a.staffId.replace(/-/g, '')}`;
  switch (path) {
    case '/twilio/sms/incoming':
      return [
        {
          name: 'inbound SMS',
          query: [],
          fields: [
            ['MessageSid', `SM${hex()}`],
            ['AccountSid', `AC${hex()}`],
            ['From', a.clientPhone],
            ['To', a.smsNumber],
            ['Body', 'Hello from the fuzz'],
            ['NumMedia', '1'],
            ['MediaUrl0', 'https://api.twilio.com/media/1.jpg'],
            ['MediaContentType0', 'image/jpeg'],
            ['FromCity', 'SF'],
          ],
        },
        {
          name: 'STOP keyword',
          query: [],
          fields: [
            ['MessageSid', `SM${hex()}`],
            ['From', a.clientPhone],
            ['To', a.smsNumber],
            ['Body', 'STOP'],
            ['OptOutType', 'STOP'],
          ],
        },
      ];
    case '/twilio/sms/status':
      return [
        {
          name: 'delivery report',
          query: [['business_id', a.id]],
          fields: [
            ['MessageSid', a.smsProviderSid],
            ['MessageStatus', 'delivered'],
            ['From', a.smsNumber],
            ['ErrorCode', ''],
          ],
        },
      ];
    case '/twilio/voice/status':
      return [
        {
          name: 'call status',
          query: [],
          fields: [
            ['CallSid', `CA${hex()}`],
            ['CallStatus', 'completed'],
            ['CallDuration', '12'],
            ['To', a.smsNumber],
            ['RecordingDuration', '5'],
          ],
        },
      ];
    case '/voice-calls/twiml':
      return [
        {
          name: 'inbound call',
          query: [],
          fields: [
            ['CallSid', `CA${hex()}`],
            ['From', a.clientPhone],
            ['To', a.smsNumber],
          ],
        },
        {
          name: 'browser call',
          query: [],
          fields: [
            ['CallSid', `CA${hex()}`],
            ['From', staffIdentity],
            ['To', a.clientPhone],
            ['client_id', a.clientId],
            ['location_id', a.locationId],
          ],
        },
        {
          name: 'dial ended',
          query: [
            ['step', 'dial-ended'],
            ['call_id', '6f9619ff-8b86-4d01-b42d-00cf4fc964ff'],
          ],
          fields: [
            ['CallSid', `CA${hex()}`],
            ['DialCallStatus', 'no-answer'],
            ['DialCallDuration', '0'],
          ],
        },
        {
          name: 'voicemail',
          query: [
            ['step', 'voicemail'],
            ['call_id', '6f9619ff-8b86-4d01-b42d-00cf4fc964ff'],
          ],
          fields: [
            ['CallSid', `CA${hex()}`],
            ['RecordingUrl', 'https://api.twilio.com/rec/1'],
            ['RecordingSid', `RE${hex()}`],
            ['RecordingDuration', '7'],
          ],
        },
      ];
    default:
      return [];
  }
}

/** Values for one form field, each already percent-encoded; `core` ones go to every field. */
function formValueMutations(name: string, b: Tenant): { input: string; raw: string; core?: boolean }[] {
  const out: { input: string; raw: string; core?: boolean }[] = [];
  for (const [input, value] of Object.entries(NASTY_STRINGS)) out.push({ input, raw: formEncode(value), core: input === 'empty string' });
  for (const [input, raw] of Object.entries(NASTY_ENCODED)) out.push({ input: `raw ${input}`, raw, core: /surrogate|NUL/.test(input) });
  for (const n of NASTY_PARAM_NUMBERS) out.push({ input: `number-like ${n}`, raw: formEncode(n), core: n === '99999999999999999999999' || n === '-1' });
  out.push({ input: 'at the length limit (20000)', raw: 'x'.repeat(20_000) }, { input: 'over the length limit (20001)', raw: 'x'.repeat(20_001), core: true });
  if (/From|To/.test(name)) {
    for (const v of ['+', '++1', '1'.repeat(40), 'client:', 'client:staff_', 'client:staff_zz', 'sip:a@b.c', 'Anonymous']) out.push({ input: `odd address ${v}`, raw: formEncode(v) });
    for (const v of [b.smsNumber, b.clientPhone]) out.push({ input: "the other business's number", raw: formEncode(v), core: true });
  }
  if (/Url/.test(name)) for (const v of ['javascript:alert(1)', 'http://127.0.0.1:22/', 'not a url']) out.push({ input: `odd url ${v}`, raw: formEncode(v) });
  if (/Sid/.test(name)) out.push({ input: 'sid of the other business', raw: formEncode(b.smsProviderSid), core: true });
  return out;
}

export function twilioCases(op: Operation, a: Tenant, b: Tenant, prng: Prng, perField: number): RestCase[] {
  const target = targetOf(op);
  const schema = op.body?.schema;
  const declared = Object.keys(schema?.properties ?? {});
  const required = schema?.required ?? [];
  const queryParams = op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  const cases: RestCase[] = [];
  const url = (query: [string, string][]) => (query.length ? `${op.path}?${query.map(([k, v]) => `${k}=${v}`).join('&')}` : op.path);

  for (const [i, base] of twilioBaselines(op.path, a, prng).entries()) {
    const sign = (fields: Fields, field: string, input: string, raw: Record<string, string> = {}, query = base.query) =>
      cases.push(signedTwilioForm(target, url(query), formText(fields, raw), field, `${base.name}: ${input}`));
    sign(base.fields, '-', 'valid baseline');
    // The first baseline also gets the declared fields it lacks; the others only their own.
    const names = [...new Set([...(i === 0 ? declared : []), ...base.fields.map(([k]) => k)])];
    for (const name of names) {
      const withField: Fields = base.fields.some(([k]) => k === name) ? base.fields : [...base.fields, [name, 'x']];
      for (const m of coreAndDrawn(formValueMutations(name, b), prng, perField)) sign(withField, `form.${name}`, m.input, { [name]: m.raw });
      if (required.includes(name))
        sign(
          base.fields.filter(([k]) => k !== name),
          `form.${name}`,
          'missing required',
        );
      sign([...withField, [name, 'second value']], `form.${name}`, 'repeated field');
    }
    for (const name of queryParams) {
      const others = base.query.filter(([k]) => k !== name);
      const values: { input: string; raw: string; core?: boolean }[] = [
        ...Object.entries(NASTY_ENCODED).map(([input, raw]) => ({ input, raw, core: /surrogate|NUL/.test(input) })),
        { input: 'huge (16 KB)', raw: 'x'.repeat(16_384) },
        { input: 'unknown value', raw: 'bogus', core: true },
        { input: "other business's id", raw: b.id, core: true },
        { input: 'repeated', raw: `a&${name}=b`, core: true },
      ];
      for (const m of coreAndDrawn(values, prng, perField)) {
        sign(base.fields, `query.${name}`, m.input, {}, [...others, [name, m.raw]]);
      }
    }
    sign([...base.fields, ...Array.from({ length: 1_000 }, (_, i) => [`Extra${i}`, 'x'] as [string, string])], 'form', '1000 extra fields');
    if (i === 0) {
      sign([...base.fields, ['K'.repeat(200 * 1024), 'x']], 'form (keys)', 'one field name of 200 KB');
      sign([...base.fields, ...Array.from({ length: 25 }, (_, k) => [`${k}`.padEnd(100 * 1024, 'K'), 'x'] as [string, string])], 'form (keys)', '25 field names of 100 KB');
    }
    sign([...base.fields.filter(([k]) => k !== 'NumMedia'), ['NumMedia', '10']], 'form.NumMedia', 'NumMedia without media');
    // Twilio's signed JSON bodies: the same fields as JSON, and with hostile values.
    const json = Object.fromEntries(base.fields);
    const query = base.query.map(([k, v]) => `${k}=${v}`).join('&');
    const signJson = (body: string, field: string, input: string) => cases.push(signedTwilioJson(target, op.path, query, body, field, `${base.name}: signed JSON, ${input}`));
    signJson(toJsonText(json), 'json', 'the baseline fields');
    signJson('{}', 'json', 'empty object');
    signJson(deepObjectText(5_000), 'json', 'deep object (5000)');
    signJson(deepArrayText(5_000), 'json', 'deep array (5000)');
    signJson('not json', 'json', 'malformed');
    for (const name of base.fields.map(([k]) => k)) {
      const values: { input: string; value: unknown; core?: boolean }[] = [
        ...Object.entries(JSON_TYPE_SAMPLES).map(([type, value]) => ({ input: `wrong type: ${type}`, value, core: type === 'null' || type === 'integer' })),
        { input: 'deep object (5000)', value: deepObject(), core: true },
        { input: 'huge string (1 MB)', value: hugeString() },
      ];
      for (const v of coreAndDrawn(values, prng, perField)) signJson(toJsonText({ ...json, [name]: v.value }), `json.${name}`, v.input);
    }
  }
  // Unsigned and wrongly signed: refused before anything is read.
  cases.push({ target, field: 'signature', input: 'unsigned form', method: 'POST', url: op.path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' });
  cases.push({
    target,
    field: 'signature',
    input: 'garbage signature',
    method: 'POST',
    url: op.path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': '%ED%A0%80' },
    payload: 'a=1',
  });
  cases.push({
    target,
    field: 'signature',
    input: 'unknown signature algorithm',
    method: 'POST',
    url: op.path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x', 'x-twilio-webhooks-signature-settings': 'HMAC_MD5' },
    payload: 'a=1',
  });
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Resend

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function resendEvents(a: Tenant, b: Tenant): Record<string, Record<string, Json>> {
  const createdAt = new Date().toISOString();
  return {
    'email.delivered': {
      type: 'email.delivered',
      created_at: createdAt,
      data: { email_id: a.emailProviderId, to: [`sam@${a.id}.test`], from: a.emailAddress, subject: 'Invoice', created_at: createdAt, tags: { omega_business_id: a.id } },
    },
    'email.bounced': {
      type: 'email.bounced',
      created_at: createdAt,
      data: {
        email_id: a.emailProviderId,
        bounce: { type: 'Permanent', subType: 'General', message: 'No such user' },
        tags: [
          { name: 'omega_message_id', value: a.emailMessageId },
          { name: 'omega_business_id', value: a.id },
        ],
      },
    },
    'email.clicked': {
      type: 'email.clicked',
      created_at: createdAt,
      data: { email_id: a.emailProviderId, click: { link: 'https://example.com', timestamp: createdAt, ipAddress: '1.2.3.4', userAgent: 'x' } },
    },
    'email.received': {
      type: 'email.received',
      created_at: createdAt,
      data: {
        email_id: 'in-1',
        from: 'Rosa Mitchell <rosa.mitchell@example.com>',
        to: [a.emailAddress],
        cc: [b.emailAddress],
        received_for: [],
        subject: 'Question',
        message_id: '<m1@example.com>',
        attachments: [{ filename: 'a.pdf', content_type: 'application/pdf' }],
        created_at: createdAt,
      },
    },
  };
}

/** Every path in a JSON value, parents first. */
function jsonPaths(value: Json, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...path, k], ...jsonPaths(v, [...path, k])]);
}

function withValue(root: Json, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = structuredClone(root) as Record<string | number, unknown>;
  copy[head] = withValue((copy[head] ?? null) as Json, rest, value);
  return copy;
}

export function resendCases(a: Tenant, b: Tenant, prng: Prng, perField: number): RestCase[] {
  const target = 'POST /email/webhooks/{provider}';
  const cases: RestCase[] = [];
  let n = 0;
  const signed = (body: string, field: string, input: string, opts: { path?: string; headers?: Record<string, string> } = {}) => {
    const id = `msg_fuzz_${prng.int(1e9)}_${n++}`;
    const now = new Date();
    const signature = new Webhook(RESEND_SECRET).sign(id, now, body);
    cases.push({
      target,
      field,
      input,
      method: 'POST',
      url: opts.path ?? '/email/webhooks/resend',
      headers: { 'content-type': 'application/json', 'svix-id': id, 'svix-timestamp': String(Math.floor(now.getTime() / 1000)), 'svix-signature': signature, ...opts.headers },
      payload: body,
    });
  };
  for (const [name, event] of Object.entries(resendEvents(a, b))) {
    signed(toJsonText(event), '-', `${name}: valid baseline`);
    for (const path of jsonPaths(event)) {
      const field = path.join('.');
      const values: { input: string; value: unknown; core?: boolean }[] = [
        ...Object.entries(JSON_TYPE_SAMPLES).map(([t, value]) => ({ input: `wrong type: ${t}`, value, core: t === 'null' || t === 'integer' })),
        ...Object.entries(NASTY_STRINGS).map(([input, value]) => ({ input, value })),
        { input: 'huge string (1 MB)', value: hugeString() },
        { input: 'deep object (5000)', value: deepObject(), core: true },
        { input: 'deep array (5000)', value: deepArray() },
        { input: 'huge number', value: new RawJson('99999999999999999999999') },
        { input: 'bad date', value: '+275760-09-13T00:00:00.001Z' },
      ];
      for (const { input, value } of coreAndDrawn(values, prng, perField)) signed(toJsonText(withValue(event, path, value)), `event.${field}`, `${name}: ${input}`);
    }
  }
  signed(deepObjectText(5_000), 'body', 'deep object body (5000)');
  signed(deepArrayText(5_000), 'body', 'deep array body (5000)');
  signed('not json', 'body', 'malformed JSON');
  const event = resendEvents(a, b)['email.delivered']!;
  signed(toJsonText({ ...event, ['k'.repeat(200 * 1024)]: 1 }), 'body (keys)', 'one key of 200 KB');
  signed(
    toJsonText({ ...event, data: { ...(event['data'] as object), ...Object.fromEntries(Array.from({ length: 25 }, (_, k) => [`${k}`.padEnd(100 * 1024, 'k'), k])) } }),
    'event.data (keys)',
    '25 keys of 100 KB in data',
  );
  signed(toJsonText({ ...event, data: { ...(event['data'] as object), tags: { ['k'.repeat(200 * 1024)]: 'v' } } }), 'event.data.tags (keys)', 'a tag named with 200 KB');
  signed('null', 'body', 'top-level null');
  signed(
    toJsonText({ type: 'email.delivered', data: { email_id: b.emailProviderId, tags: { omega_business_id: a.id, omega_message_id: a.emailMessageId } } }),
    'event.data.tags',
    "tags naming another business's email",
  );
  for (const [input, raw] of Object.entries(NASTY_ENCODED)) signed('{"type":"x","data":{}}', 'path.provider', input, { path: `/email/webhooks/${raw}` });
  signed('{"type":"x","data":{}}', 'path.provider', 'unknown provider', { path: '/email/webhooks/sendgrid' });
  for (const ts of ['abc', '-1', '99999999999999999999', '']) {
    signed('{"type":"x","data":{}}', 'header.svix-timestamp', `svix-timestamp ${JSON.stringify(ts)}`, { headers: { 'svix-timestamp': ts } });
  }
  signed('{"type":"x","data":{}}', 'header.svix-id', 'huge svix-id', { headers: { 'svix-id': 'x'.repeat(10_000) } });
  signed('{"type":"x","data":{}}', 'header.svix-signature', 'garbage svix-signature', { headers: { 'svix-signature': 'v1,%%%' } });
  return cases;
}
