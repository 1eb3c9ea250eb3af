// The pane's message logic, kept pure so it is unit-tested: merging loaded pages with live
// messages (de-duplicated by id, the newest version of each), grouping by day, and the delivery
// status tick each message shows.

export interface MessageLike {
  messageId: string;
  createdAt: string;
  updatedAt?: string | null;
}

/**
 * Every message once, oldest first: the loaded pages (any order) and the live ones (from events,
 * sends, retries). Where one id comes twice, the version updated last wins; on a tie, the later
 * source (live after pages).
 */
export function mergeMessages<M extends MessageLike>(sources: ReadonlyArray<ReadonlyArray<M>>): M[] {
  const byId = new Map<string, M>();
  for (const source of sources) {
    for (const m of source) {
      const had = byId.get(m.messageId);
      if (!had || (m.updatedAt ?? '') >= (had.updatedAt ?? '')) byId.set(m.messageId, m);
    }
  }
  return [...byId.values()].sort(byCreated);
}

function byCreated(a: MessageLike, b: MessageLike): number {
  const ta = Date.parse(a.createdAt);
  const tb = Date.parse(b.createdAt);
  if (ta !== tb) return ta - tb;
  return a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0;
}

/** Puts `m` into the live list: replaces the same id, else appends. Returns the same list when unchanged. */
export function upsertMessage<M extends MessageLike>(list: readonly M[], m: M): M[] {
  const i = list.findIndex((x) => x.messageId === m.messageId);
  if (i === -1) return [...list, m];
  const had = list[i]!;
  if ((m.updatedAt ?? '') < (had.updatedAt ?? '')) return list as M[];
  const next = [...list];
  next[i] = m;
  return next;
}

export interface DayGroup<M> {
  /** YYYY-MM-DD in the viewer's time zone. */
  day: string;
  label: string;
  messages: M[];
}

// Building an Intl.DateTimeFormat costs far more than formatting: one per time zone, reused (a
// 200-message conversation formats 200 days).
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** YYYY-MM-DD of an instant in a time zone (default: the browser's). */
export function dayKey(iso: string | Date, timeZone?: string): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  let format = dayFormats.get(timeZone ?? '');
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone ?? '', format);
  }
  const parts = format.formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** "Today", "Yesterday", "Monday, December 1" or, another year, "December 1, 2025". */
export function dayLabel(day: string, now: Date, timeZone?: string): string {
  const today = dayKey(now, timeZone);
  if (day === today) return 'Today';
  if (day === dayKey(new Date(now.getTime() - 86_400_000), timeZone)) return 'Yesterday';
  const noonUtc = new Date(`${day}T12:00:00Z`);
  const sameYear = day.slice(0, 4) === today.slice(0, 4);
  return new Intl.DateTimeFormat('en-US', sameYear ? { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' } : { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(
    noonUtc,
  );
}

/** Messages (oldest first) in runs of one day each. */
export function groupByDay<M extends MessageLike>(messages: readonly M[], now: Date, timeZone?: string): DayGroup<M>[] {
  const groups: DayGroup<M>[] = [];
  for (const m of messages) {
    const day = dayKey(m.createdAt, timeZone);
    const last = groups[groups.length - 1];
    if (last && last.day === day) last.messages.push(m);
    else groups.push({ day, label: dayLabel(day, now, timeZone), messages: [m] });
  }
  return groups;
}

export type TickKind = 'none' | 'scheduled' | 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'canceled';

export interface StatusTick {
  kind: TickKind;
  /** What a screen reader and the tooltip say. */
  label: string;
  /** The glyph: one tick, two ticks, a cross ('' for pending and scheduled: the pane draws a clock). */
  glyph: string;
}

/** The delivery tick of a message's status (outbound ones; inbound and notes show none). */
export function statusTick(status: string, direction: string): StatusTick {
  if (direction !== 'outbound') return { kind: 'none', label: '', glyph: '' };
  switch (status) {
    case 'scheduled':
      return { kind: 'scheduled', label: 'Scheduled', glyph: '' };
    case 'queued':
      return { kind: 'pending', label: 'Queued', glyph: '' };
    case 'sending':
      return { kind: 'pending', label: 'Sending', glyph: '' };
    case 'sent':
    case 'recorded':
      return { kind: 'sent', label: status === 'sent' ? 'Sent' : 'Recorded', glyph: '✓' };
    case 'delivered':
      return { kind: 'delivered', label: 'Delivered', glyph: '✓✓' };
    case 'read':
      return { kind: 'read', label: 'Read', glyph: '✓✓' };
    case 'failed':
      return { kind: 'failed', label: 'Failed', glyph: '✕' };
    case 'undelivered':
      return { kind: 'failed', label: 'Not delivered', glyph: '✕' };
    case 'canceled':
      return { kind: 'canceled', label: 'Canceled', glyph: '⊘' };
    default:
      return { kind: 'none', label: status, glyph: '' };
  }
}

/** Whether a message failed and can be sent again with retryMessage. */
export function canRetry(m: { status: string; direction: string; channel: string }): boolean {
  return m.direction === 'outbound' && (m.channel === 'sms' || m.channel === 'email') && (m.status === 'failed' || m.status === 'undelivered');
}

/** The reason shown under a failed message: the provider's message, then its code. */
export function failureReason(m: { errorMessage?: string | null; errorCode?: string | null }): string {
  if (m.errorMessage && m.errorCode) return `${m.errorMessage} (${m.errorCode})`;
  return m.errorMessage || (m.errorCode ? `Error ${m.errorCode}` : 'The provider did not say why.');
}
