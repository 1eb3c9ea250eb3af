// The fake Twilio's phone numbers and messaging services, as far as Omega's provisioning uses them
// (src/provisioning/twilioNumbers.ts): IncomingPhoneNumbers list (PhoneNumber, FriendlyName),
// create and update; AvailablePhoneNumbers/{country}/Local (AreaCode); messaging service update
// (messaging.twilio.com/v1/Services/{sid}, which the API base URL maps here too).
import { createHash } from 'node:crypto';
import type { ReceivedRequest, Reply } from './fakeTwilio.js';

export interface FakeNumber {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  smsUrl: string | null;
  voiceUrl: string | null;
  statusCallback: string | null;
}

export interface FakeService {
  sid: string;
  friendlyName: string;
  inboundRequestUrl: string | null;
  statusCallback: string | null;
  /** The numbers it sends from (the first is used); none: FAKE_SERVICE_NUMBER. */
  numbers: string[];
}

export interface FakeNumbers {
  /** The account's numbers, by sid. */
  numbers: Map<string, FakeNumber>;
  /** Numbers on sale, by area code (an area code not set offers five numbers of its own). */
  available: Map<string, string[]>;
  /** Messaging services by sid; an unknown MG sid is created on first use. */
  services: Map<string, FakeService>;
  addNumber(phoneNumber: string, friendlyName?: string): FakeNumber;
  addService(sid: string, numbers?: string[]): FakeService;
  /** Answers a numbers or services request, or null when the path is not one of theirs. */
  route(req: ReceivedRequest, accountPath: string): Reply | null;
  reset(): void;
}

const sidOf = (prefix: string, value: string) => `${prefix}${createHash('sha256').update(value).digest('hex').slice(0, 32)}`;

export function createFakeNumbers(accountSid: string): FakeNumbers {
  const fake: FakeNumbers = {
    numbers: new Map(),
    available: new Map(),
    services: new Map(),
    addNumber(phoneNumber, friendlyName = phoneNumber) {
      const n: FakeNumber = { sid: sidOf('PN', phoneNumber), phoneNumber, friendlyName, smsUrl: null, voiceUrl: null, statusCallback: null };
      fake.numbers.set(n.sid, n);
      return n;
    },
    addService(sid, numbers = []) {
      const s: FakeService = { sid, friendlyName: `Service ${sid.slice(-6)}`, inboundRequestUrl: null, statusCallback: null, numbers };
      fake.services.set(sid, s);
      return s;
    },
    route(req, accountPath) {
      const numbersPath = `${accountPath}/IncomingPhoneNumbers`;
      if (req.path === `${numbersPath}.json`) {
        if (req.method === 'GET') {
          const phone = req.query.get('PhoneNumber');
          const name = req.query.get('FriendlyName');
          const found = [...fake.numbers.values()].filter((n) => (!phone || n.phoneNumber === phone) && (!name || n.friendlyName === name));
          return page(
            accountPath,
            'IncomingPhoneNumbers',
            'incoming_phone_numbers',
            found.map((n) => numberResource(n, accountPath)),
            req.query,
          );
        }
        if (req.method === 'POST') return buy(req.form, accountPath);
      }
      const one = new RegExp(`^${numbersPath}/(PN[0-9a-f]{32})\\.json$`).exec(req.path);
      if (one && req.method === 'POST') {
        const n = fake.numbers.get(one[1]!);
        if (!n) return { status: 404, body: { code: 20404, message: `The requested resource ${req.path} was not found`, status: 404 } };
        applyWebhooks(n, req.form);
        return { status: 200, body: numberResource(n, accountPath) };
      }
      const local = new RegExp(`^${accountPath}/AvailablePhoneNumbers/([A-Z]{2})/Local\\.json$`).exec(req.path);
      if (local && req.method === 'GET') {
        const areaCode = req.query.get('AreaCode') ?? '415';
        const owned = new Set([...fake.numbers.values()].map((n) => n.phoneNumber));
        const onSale = (fake.available.get(areaCode) ?? defaultOnSale(areaCode)).filter((p) => !owned.has(p));
        const items = onSale.map((p) => ({ phone_number: p, friendly_name: p, iso_country: local[1], capabilities: { sms: true, voice: true, mms: true }, region: null, locality: null }));
        return page(accountPath, `AvailablePhoneNumbers/${local[1]}/Local`, 'available_phone_numbers', items, req.query);
      }
      const service = /^\/v1\/Services\/(MG[0-9a-fA-F]{32})$/.exec(req.path);
      if (service && req.method === 'POST') {
        const s = fake.services.get(service[1]!) ?? fake.addService(service[1]!);
        if (req.form.has('InboundRequestUrl')) s.inboundRequestUrl = req.form.get('InboundRequestUrl');
        if (req.form.has('StatusCallback')) s.statusCallback = req.form.get('StatusCallback');
        if (req.form.has('FriendlyName')) s.friendlyName = req.form.get('FriendlyName')!;
        return {
          status: 200,
          body: {
            sid: s.sid,
            account_sid: accountSid,
            friendly_name: s.friendlyName,
            inbound_request_url: s.inboundRequestUrl,
            inbound_method: 'POST',
            status_callback: s.statusCallback,
            use_inbound_webhook_on_number: req.form.get('UseInboundWebhookOnNumber') === 'true',
            url: `https://messaging.twilio.com/v1/Services/${s.sid}`,
          },
        };
      }
      return null;
    },
    reset() {
      fake.numbers.clear();
      fake.available.clear();
      fake.services.clear();
    },
  };

  function buy(form: URLSearchParams, accountPath: string): Reply {
    const phone = form.get('PhoneNumber') ?? '';
    const areaCode = phone.slice(2, 5);
    const onSale = fake.available.get(areaCode) ?? defaultOnSale(areaCode);
    const owned = [...fake.numbers.values()].some((n) => n.phoneNumber === phone);
    if (!onSale.includes(phone) || owned) {
      return { status: 400, body: { code: 21422, message: `PhoneNumber ${phone} requested is not available`, more_info: 'https://www.twilio.com/docs/errors/21422', status: 400 } };
    }
    const n = fake.addNumber(phone, form.get('FriendlyName') ?? phone);
    applyWebhooks(n, form);
    return { status: 201, body: numberResource(n, accountPath) };
  }

  function numberResource(n: FakeNumber, accountPath: string) {
    return {
      sid: n.sid,
      account_sid: accountSid,
      phone_number: n.phoneNumber,
      friendly_name: n.friendlyName,
      sms_url: n.smsUrl,
      sms_method: 'POST',
      voice_url: n.voiceUrl,
      voice_method: 'POST',
      status_callback: n.statusCallback,
      status_callback_method: 'POST',
      capabilities: { sms: true, voice: true, mms: true },
      uri: `${accountPath}/IncomingPhoneNumbers/${n.sid}.json`,
    };
  }
  return fake;
}

function applyWebhooks(n: FakeNumber, form: URLSearchParams): void {
  if (form.has('SmsUrl')) n.smsUrl = form.get('SmsUrl');
  if (form.has('VoiceUrl')) n.voiceUrl = form.get('VoiceUrl');
  if (form.has('StatusCallback')) n.statusCallback = form.get('StatusCallback');
  if (form.has('FriendlyName')) n.friendlyName = form.get('FriendlyName')!;
}

/** Five numbers of the area code (+1 AAA 555 01xx), the same every time. */
function defaultOnSale(areaCode: string): string[] {
  return [0, 1, 2, 3, 4].map((i) => `+1${areaCode}55501${String(i).padStart(2, '0')}`);
}

/** Twilio's 2010-04-01 list shape: the items under their key, one page (the lists here are short). */
function page(accountPath: string, resource: string, key: string, items: unknown[], query: URLSearchParams): Reply {
  const pageSize = Math.min(1000, Math.max(1, Number(query.get('PageSize') ?? 50) || 50));
  const uri = `${accountPath}/${resource}.json?PageSize=${pageSize}&Page=0`;
  const shown = items.slice(0, pageSize);
  return {
    status: 200,
    body: { [key]: shown, first_page_uri: uri, next_page_uri: null, previous_page_uri: null, page: 0, page_size: pageSize, start: 0, end: Math.max(0, shown.length - 1), uri },
  };
}
