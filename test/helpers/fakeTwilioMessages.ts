// The fake Twilio's messages: what one is, how Twilio's API shows it, and the list with Twilio's
// filters and paging (test/helpers/fakeTwilio.ts serves them).

export interface FakeMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  mediaUrls: string[];
  direction: 'outbound-api' | 'inbound';
  status: string;
  errorCode: number | null;
  dateCreated: Date;
  dateUpdated: Date;
  /** Null until the message is sent: Twilio's DateSent filters never match it before. */
  dateSent: Date | null;
  statusCallback: string | null;
  /** Omega's message id, read from the StatusCallback URL (message_id=...), for counting. */
  omegaMessageId: string | null;
  /** The create's 201 was written to the caller (false: held, dropped, or not made through a create). */
  answered: boolean;
  /** Creation order, for stable listing and page tokens. */
  seq: number;
}

/** Twilio's date format (RFC 2822, whole seconds, +0000). */
export function rfc2822(date: Date): string {
  const [day, dd, mon, yyyy, time] = date.toUTCString().split(' ');
  return `${day} ${dd} ${mon} ${yyyy} ${time} +0000`;
}

export function twilioErrorBody(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** A message as Twilio's API shows it (2010-04-01 JSON). */
export function messageResource(m: FakeMessage, accountSid: string, accountPath: string) {
  return {
    sid: m.sid,
    account_sid: accountSid,
    api_version: '2010-04-01',
    to: m.to,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    body: m.body,
    num_media: String(m.mediaUrls.length),
    num_segments: String(Math.max(1, Math.ceil(m.body.length / 153))),
    direction: m.direction,
    status: m.status,
    error_code: m.errorCode,
    error_message: null,
    price: null,
    price_unit: 'USD',
    date_created: rfc2822(m.dateCreated),
    date_updated: rfc2822(m.dateUpdated),
    date_sent: m.dateSent ? rfc2822(m.dateSent) : null,
    uri: `${accountPath}/Messages/${m.sid}.json`,
    subresource_uris: { media: `${accountPath}/Messages/${m.sid}/Media.json` },
  };
}

/**
 * GET .../Messages.json: Twilio's filters To, From, DateSent, DateSent< and DateSent> (UTC days of
 * date_sent; an unsent message matches no date), newest first, paged with a PageToken.
 */
export function listMessages(messages: readonly FakeMessage[], query: URLSearchParams, accountSid: string, accountPath: string): { status: number; body: unknown } {
  const filters: ((m: FakeMessage) => boolean)[] = [];
  const to = query.get('To');
  const from = query.get('From');
  if (to) filters.push((m) => m.to === to);
  if (from) filters.push((m) => m.from === from);
  for (const [key, keep] of [
    ['DateSent', (day: string, d: string) => day === d],
    ['DateSent>', (day: string, d: string) => day >= d],
    ['DateSent<', (day: string, d: string) => day <= d],
  ] as const) {
    const raw = query.get(key);
    if (raw === null) continue;
    const d = utcDay(raw);
    if (!d) return { status: 400, body: twilioErrorBody(400, 20001, `Invalid value for ${key}: ${raw}`) };
    filters.push((m) => m.dateSent !== null && keep(utcDay(m.dateSent.toISOString())!, d));
  }
  // Newest first by date_sent (unsent ones by creation), as Twilio sorts.
  const all = messages.filter((m) => filters.every((f) => f(m))).sort((a, b) => sortKey(b) - sortKey(a) || b.seq - a.seq);
  const pageSize = Math.min(1000, Math.max(1, Number(query.get('PageSize') ?? 50) || 50));
  const page = Number(query.get('Page') ?? 0) || 0;
  const token = /^PA(\d+)_(\d+)$/.exec(query.get('PageToken') ?? '');
  const start = token ? all.findIndex((m) => sortKey(m) < Number(token[1]) || (sortKey(m) === Number(token[1]) && m.seq < Number(token[2]))) : 0;
  const items = start < 0 ? [] : all.slice(start, start + pageSize);
  const last = items.at(-1);
  const base = new URLSearchParams([...query].filter(([k]) => !['Page', 'PageSize', 'PageToken'].includes(k)));
  const pageUri = (p: number, tokenValue?: string) => {
    const q = new URLSearchParams(base);
    q.set('PageSize', String(pageSize));
    q.set('Page', String(p));
    if (tokenValue) q.set('PageToken', tokenValue);
    return `${accountPath}/Messages.json?${q.toString()}`;
  };
  const more = last !== undefined && start + pageSize < all.length;
  return {
    status: 200,
    body: {
      messages: items.map((m) => messageResource(m, accountSid, accountPath)),
      first_page_uri: pageUri(0),
      next_page_uri: more ? pageUri(page + 1, `PA${sortKey(last)}_${last.seq}`) : null,
      previous_page_uri: page > 0 ? pageUri(page - 1) : null,
      page,
      page_size: pageSize,
      start: page * pageSize,
      end: page * pageSize + Math.max(0, items.length - 1),
      uri: pageUri(page),
    },
  };
}

function sortKey(m: FakeMessage): number {
  return Math.floor((m.dateSent ?? m.dateCreated).getTime() / 1000);
}

/** The UTC day (YYYY-MM-DD) of a DateSent value: a date, or a date-time as the SDK sends it. */
function utcDay(value: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
}
