// The shape of the inbox data set, drawn in JavaScript with a seeded generator (the same plan on
// every load): who the clients are, how many messages each conversation has and when, and which
// conversations are unread, archived, snoozed, pinned or assigned. bench/seed-inbox.ts turns it into rows.
import { AREA_CODES, CLIENT_GROUPS, CLIENT_TYPES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES } from './_vocabulary.js';

export const LARGE = { clients: 100_000, messages: 2_000_000, locations: 5, staff: 40, largest: 8_000, big: 50 };
export const SMALL = { businesses: 1_000, clients: 5, maxMessages: 8 };

const DAY = 86_400_000;
export const SPAN_DAYS = 730;

/** One client with one conversation (the data set has one conversation per client). */
export interface PlannedConversation {
  businessId: string;
  clientExt: string;
  first: string;
  last: string;
  phone: string;
  email: string | null;
  type: string;
  groups: string;
  locationExt: string;
  assigneeExt: string | null;
  n: number;
  tStart: number;
  tEnd: number;
  clientCreated: number;
  unreadTail: number;
  status: 'open' | 'snoozed' | 'archived';
  snoozedUntil: number | null;
  pinned: boolean;
  muted: boolean;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Message counts of the large business: one conversation of 8,000, fifty of 3,000 to 1,040, the rest ~19 on average (long tail), summing to exactly 2,000,000. */
function largeCounts(rand: () => number): number[] {
  const counts = [LARGE.largest, ...Array.from({ length: LARGE.big }, (_, i) => 3000 - 40 * i)];
  const rest = LARGE.clients - counts.length;
  const target = LARGE.messages - counts.reduce((a, b) => a + b, 0);
  const mean = target / rest;
  const tail = Array.from({ length: rest }, () => Math.min(600, 1 + Math.floor(-Math.log(1 - rand()) * (mean - 1) * (rand() < 0.97 ? 0.8 : 4))));
  let sum = tail.reduce((a, b) => a + b, 0);
  while (sum !== target) {
    const i = Math.floor(rand() * rest);
    if (sum < target) {
      tail[i]!++;
      sum++;
    } else if (tail[i]! > 1) {
      tail[i]!--;
      sum--;
    }
  }
  // The big conversations go to random clients, not the first ones.
  const all = [...tail];
  for (const c of counts) all.splice(Math.floor(rand() * all.length), 0, c);
  return all;
}

function weighted<T>(rand: () => number, options: [T, number][]): T {
  let r = rand();
  for (const [value, w] of options) if ((r -= w) < 0) return value;
  return options[options.length - 1]![0];
}

function conversation(rand: () => number, now: number, businessId: string, i: number, n: number, locations: number, staff: number): PlannedConversation {
  const first = FIRST_NAMES[Math.floor(rand() * FIRST_NAMES.length)]!;
  const last = LAST_NAMES[Math.floor(rand() * LAST_NAMES.length)]!;
  const phone = `+1${AREA_CODES[i % AREA_CODES.length]}${String(1_000_000 + ((i * 7919) % 9_000_000)).padStart(7, '0')}`;
  const email = rand() < 0.8 ? `${first}.${last}${i % 1000}@${EMAIL_DOMAINS[Math.floor(rand() * EMAIL_DOMAINS.length)]}`.toLowerCase() : null;
  const groups = CLIENT_GROUPS.filter(() => rand() < 0.12).join(',');
  const big = n >= 1000;
  // Last activity: recent for the big threads; otherwise skewed to the recent past (half within 90 days).
  const ageDays = big ? rand() * 2 : SPAN_DAYS * rand() ** 3;
  const tEnd = now - ageDays * DAY - rand() * 3_600_000;
  const available = SPAN_DAYS - ageDays;
  const spanDays = big ? available - rand() * 10 : Math.min(available * 0.98, n * (0.5 + 12 * rand()));
  const tStart = tEnd - spanDays * DAY;
  const unreadTail = rand() < (ageDays < 14 ? 0.35 : ageDays < 90 ? 0.08 : 0.01) ? 1 + Math.floor(rand() * 3) : 0;
  let status: PlannedConversation['status'] = 'open';
  let snoozedUntil: number | null = null;
  if (unreadTail === 0 && ageDays > 60 && rand() < 0.4) status = 'archived';
  else if (unreadTail === 0 && rand() < 0.012) {
    status = 'snoozed';
    snoozedUntil = now + (1 + rand() * 13) * DAY;
  }
  return {
    businessId,
    clientExt: `cl-${i + 1}`,
    first,
    last,
    phone,
    email,
    type: weighted(rand, CLIENT_TYPES),
    groups,
    locationExt: `loc-${1 + Math.floor(locations * rand() ** 1.6)}`,
    assigneeExt: rand() < 0.55 ? `st-${1 + Math.floor(staff * rand() ** 2)}` : null,
    n,
    tStart,
    tEnd,
    clientCreated: Math.max(now - (SPAN_DAYS + 365) * DAY, tStart - rand() * 30 * DAY),
    unreadTail: Math.min(unreadTail, n),
    status,
    snoozedUntil,
    pinned: rand() < (ageDays < 30 ? 0.01 : 0.002),
    muted: rand() < 0.01,
  };
}

export function planLarge(now: number, businessId: string): PlannedConversation[] {
  const rand = mulberry32(20261128);
  return largeCounts(rand).map((n, i) => conversation(rand, now, businessId, i, n, LARGE.locations, LARGE.staff));
}

export function smallBusinessId(i: number): string {
  return `bench-small-${String(i + 1).padStart(4, '0')}`;
}

export function planSmall(now: number): PlannedConversation[] {
  const rand = mulberry32(42);
  const out: PlannedConversation[] = [];
  for (let b = 0; b < SMALL.businesses; b++) {
    for (let c = 0; c < SMALL.clients; c++) {
      out.push(conversation(rand, now, smallBusinessId(b), c, 1 + Math.floor(rand() * SMALL.maxMessages), 1, 2));
    }
  }
  return out;
}
