import type { SmsSender } from '../../../channels/types.js';

/** How a sender is paced by default (README "Pacing"). */
export type SenderKind = 'long_code' | 'toll_free' | 'short_code' | 'messaging_service' | 'email';

export interface SenderRef {
  /** `sms:+15551234567`, `sms:MG…`, `sms:12345`, `email:example.com`: the budget row's key. */
  key: string;
  channel: 'sms' | 'email';
  kind: SenderKind;
}

// NANP toll-free area codes (800, 833, 844, 855, 866, 877, 888). libphonenumber-js can tell a
// TOLL_FREE number only with its "max" metadata, which Omega does not load (the default "min"
// metadata answers no number type): the prefixes are the whole rule for +1 numbers.
const NANP_TOLL_FREE = /^\+1(800|833|844|855|866|877|888)\d{7}$/;

/** The pacing key and kind of an SMS sender: its messaging service when it has one (Twilio picks the number), else its number. */
export function smsSenderRef(sender: SmsSender): SenderRef | null {
  if (sender.messagingServiceSid) return { key: `sms:${sender.messagingServiceSid}`, channel: 'sms', kind: 'messaging_service' };
  const from = sender.from;
  if (!from) return null;
  return { key: `sms:${from}`, channel: 'sms', kind: smsKind(from) };
}

export function smsKind(address: string): SenderKind {
  if (/^MG[0-9a-fA-F]{32}$/.test(address)) return 'messaging_service';
  if (/^\d{5,6}$/.test(address)) return 'short_code';
  if (NANP_TOLL_FREE.test(address)) return 'toll_free';
  return 'long_code';
}

/** The pacing key of an email sender: the domain of its From (`"Name" <a@example.com>` or `a@example.com`). */
export function emailSenderRef(from: string): SenderRef | null {
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
  const at = address.lastIndexOf('@');
  if (at < 0) return null;
  const domain = address
    .slice(at + 1)
    .trim()
    .toLowerCase();
  return domain ? { key: `email:${domain}`, channel: 'email', kind: 'email' } : null;
}

/** A key as given to the API (`sms:+1555…`, `sms:MG…`, `email:example.com`): its channel and kind, or null when it is no sender key. */
export function parseSenderKey(key: string): SenderRef | null {
  if (key.length > 300) return null;
  const m = /^(sms|email):(.+)$/.exec(key);
  if (!m) return null;
  if (m[1] === 'email') return /^[a-z0-9.-]+\.[a-z]{2,}$/.test(m[2]!) ? { key, channel: 'email', kind: 'email' } : null;
  const address = m[2]!;
  if (!/^(\+[1-9]\d{7,14}|\d{5,6}|MG[0-9a-fA-F]{32})$/.test(address)) return null;
  return { key, channel: 'sms', kind: smsKind(address) };
}
