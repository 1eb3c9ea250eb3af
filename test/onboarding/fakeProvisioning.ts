// Twilio's phone-number API and Resend's domain API as msw 2 serves them, with a small account
// state, so the real twilio and resend SDKs run against them. Tests read the requests and choose
// failures.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

export const TWILIO_SID = `AC${'b2'.repeat(16)}`;
export const TWILIO_TOKEN = 'provisioning-test-token';
export const RESEND_KEY = 're_provisioning_test';

export interface FakeNumber {
  sid: string;
  phone_number: string;
  friendly_name: string;
  sms_url: string | null;
  voice_url: string | null;
  status_callback: string | null;
}

export interface FakeDomain {
  id: string;
  name: string;
  status: string;
  region: string;
  created_at: string;
  records: Record<string, unknown>[];
}

export interface RecordedRequest {
  method: string;
  url: string;
  form: Record<string, string>;
  authorization: string | null;
}

type Failure = { status: number; body: Record<string, unknown> };

export interface FakeProvisioning {
  numbers: Map<string, FakeNumber>;
  /** Numbers on sale, by area code. */
  available: Map<string, string[]>;
  services: Map<string, { sid: string; friendly_name: string; inbound_request_url: string | null; status_callback: string | null }>;
  domains: Map<string, FakeDomain>;
  requests: RecordedRequest[];
  /** Next answer of an operation: buy | search | update | service | domain_create, consumed once each. */
  fail: Partial<Record<'buy' | 'search' | 'update' | 'service' | 'domain_create', Failure[]>>;
  addNumber(phone: string): FakeNumber;
  close(): void;
}

export const twilioError = (status: number, code: number, message: string): Failure => ({ status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } });

const page = (key: string, items: unknown[]) => ({
  [key]: items,
  end: Math.max(0, items.length - 1),
  first_page_uri: '/x',
  next_page_uri: null,
  page: 0,
  page_size: 50,
  previous_page_uri: null,
  start: 0,
  uri: '/x',
});

export function startFakeProvisioning(): FakeProvisioning {
  let seq = 0;
  const sid = (prefix: string) => `${prefix}${String(++seq).padStart(32, '0')}`;
  const base = `https://api.twilio.com/2010-04-01/Accounts/${TWILIO_SID}`;

  const fake: FakeProvisioning = {
    numbers: new Map(),
    available: new Map(),
    services: new Map(),
    domains: new Map(),
    requests: [],
    fail: {},
    addNumber(phone) {
      const n: FakeNumber = { sid: sid('PN'), phone_number: phone, friendly_name: phone, sms_url: null, voice_url: null, status_callback: null };
      fake.numbers.set(n.sid, n);
      return n;
    },
    close: () => server.close(),
  };

  const record = async (request: Request) => {
    const text = request.method === 'GET' ? '' : await request.clone().text();
    const form = request.headers.get('content-type')?.includes('json') ? {} : Object.fromEntries(new URLSearchParams(text));
    fake.requests.push({ method: request.method, url: request.url, form, authorization: request.headers.get('authorization') });
    return form;
  };
  const failure = (op: keyof FakeProvisioning['fail']) => {
    const f = fake.fail[op]?.shift();
    return f ? HttpResponse.json(f.body, { status: f.status }) : null;
  };
  const apply = (n: FakeNumber, form: Record<string, string>) => {
    if (form['SmsUrl'] !== undefined) n.sms_url = form['SmsUrl'];
    if (form['VoiceUrl'] !== undefined) n.voice_url = form['VoiceUrl'];
    if (form['StatusCallback'] !== undefined) n.status_callback = form['StatusCallback'];
    if (form['FriendlyName'] !== undefined) n.friendly_name = form['FriendlyName'];
  };

  const server = setupServer(
    http.get(`${base}/IncomingPhoneNumbers.json`, async ({ request }) => {
      await record(request);
      const q = new URL(request.url).searchParams;
      const list = [...fake.numbers.values()].filter(
        (n) => (!q.get('PhoneNumber') || n.phone_number === q.get('PhoneNumber')) && (!q.get('FriendlyName') || n.friendly_name === q.get('FriendlyName')),
      );
      return HttpResponse.json(page('incoming_phone_numbers', list));
    }),
    http.post(`${base}/IncomingPhoneNumbers.json`, async ({ request }) => {
      const form = await record(request);
      const failed = failure('buy');
      if (failed) return failed;
      const n = fake.addNumber(form['PhoneNumber']!);
      apply(n, form);
      for (const [code, list] of fake.available)
        fake.available.set(
          code,
          list.filter((p) => p !== n.phone_number),
        );
      return HttpResponse.json(n, { status: 201 });
    }),
    http.post(`${base}/IncomingPhoneNumbers/:sid.json`, async ({ request, params }) => {
      const form = await record(request);
      const failed = failure('update');
      if (failed) return failed;
      const n = fake.numbers.get(String(params['sid']));
      if (!n) return HttpResponse.json(twilioError(404, 20404, 'The requested resource was not found').body, { status: 404 });
      apply(n, form);
      return HttpResponse.json(n);
    }),
    http.get(`${base}/AvailablePhoneNumbers/:country/Local.json`, async ({ request }) => {
      await record(request);
      const failed = failure('search');
      if (failed) return failed;
      const areaCode = new URL(request.url).searchParams.get('AreaCode') ?? '';
      const list = (fake.available.get(areaCode) ?? []).map((phone_number) => ({ phone_number, friendly_name: phone_number, iso_country: 'US' }));
      return HttpResponse.json(page('available_phone_numbers', list));
    }),
    http.post('https://messaging.twilio.com/v1/Services/:sid', async ({ request, params }) => {
      const form = await record(request);
      const failed = failure('service');
      if (failed) return failed;
      const s = fake.services.get(String(params['sid']));
      if (!s) return HttpResponse.json(twilioError(404, 20404, 'The requested resource was not found').body, { status: 404 });
      if (form['InboundRequestUrl'] !== undefined) s.inbound_request_url = form['InboundRequestUrl'];
      if (form['StatusCallback'] !== undefined) s.status_callback = form['StatusCallback'];
      return HttpResponse.json(s);
    }),
    http.post('https://api.resend.com/domains', async ({ request }) => {
      await record(request);
      const failed = failure('domain_create');
      if (failed) return failed;
      const { name } = (await request.json()) as { name: string };
      if ([...fake.domains.values()].some((d) => d.name === name)) {
        return HttpResponse.json({ statusCode: 403, name: 'validation_error', message: `The ${name} domain has been registered already.` }, { status: 403 });
      }
      const d: FakeDomain = {
        id: `d_${++seq}`,
        name,
        status: 'not_started',
        region: 'us-east-1',
        created_at: new Date().toISOString(),
        records: [
          { record: 'SPF', name: 'send', type: 'MX', ttl: 'Auto', status: 'not_started', value: 'feedback-smtp.us-east-1.amazonses.com', priority: 10 },
          { record: 'DKIM', name: 'resend._domainkey', type: 'TXT', ttl: 'Auto', status: 'not_started', value: 'p=MIGf' },
        ],
      };
      fake.domains.set(d.id, d);
      return HttpResponse.json(d, { status: 201 });
    }),
    http.get('https://api.resend.com/domains', async ({ request }) => {
      await record(request);
      return HttpResponse.json({ object: 'list', has_more: false, data: [...fake.domains.values()].map(({ records: _r, ...d }) => d) });
    }),
    http.get('https://api.resend.com/domains/:id', async ({ request, params }) => {
      await record(request);
      const d = fake.domains.get(String(params['id']));
      return d ? HttpResponse.json({ object: 'domain', ...d }) : HttpResponse.json({ statusCode: 404, name: 'not_found', message: 'Domain not found' }, { status: 404 });
    }),
    http.post('https://api.resend.com/domains/:id/verify', async ({ request, params }) => {
      await record(request);
      const d = fake.domains.get(String(params['id']));
      if (!d) return HttpResponse.json({ statusCode: 404, name: 'not_found', message: 'Domain not found' }, { status: 404 });
      if (d.status === 'not_started') d.status = 'pending';
      return HttpResponse.json({ object: 'domain', id: d.id });
    }),
  );
  // Requests to the providers' hosts must all be served here; anything else (the app itself) passes.
  server.listen({ onUnhandledRequest: (req, print) => (/twilio\.com|resend\.com/.test(new URL(req.url).hostname) ? print.error() : undefined) });
  return fake;
}
