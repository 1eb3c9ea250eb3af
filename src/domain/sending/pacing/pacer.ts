import type { PacingMode, PacingRates } from '../../../config.js';
import { notifyJobsDue, selectSpeciallyPacedKeys } from '../../../db/sql/senderBudgets.js';
import type { Sql } from '../../../db/sqlHandle.js';
import type { SenderKind, SenderRef } from './senderKey.js';

/**
 * Safety margin of every spacing: a sender at rate r is given one slot per (1 + MARGIN) / r
 * seconds. The slot is granted by PostgreSQL's clock and the provider counts by its receipt time;
 * between them lie the worker's wake-up, the claim and the HTTP request, whose delay varies. Over any
 * window of one second, rate + 1 sends granted at this spacing span (rate)(1 + MARGIN)/rate = 1 s +
 * MARGIN s, so they fit in one second of receipts only if their delays differ by more than
 * MARGIN seconds: 3% tolerates 30 ms of jitter whatever the rate, and costs 3% of throughput (the
 * campaign benchmark's target is within 5% of the ideal time).
 */
export const PACING_MARGIN = 0.03;
/** A slot this close (ms) is granted and waited for in the job; a later one defers the job. */
export const PACING_HORIZON_MS = 200;
/** A deferred or pre-spread job is dated this much (ms) before its place, so it is running (and granted) when its slot comes. */
export const PACING_LEAD_MS = 100;
/** After a 429 / 30001: the sender's next slot is at least this far (ms) away, and it runs at half rate (per level) this long. */
export const SLOW_PAUSE_MS = 1_000;
export const SLOW_FOR_MS = 60_000;
/** Re-sends for "too many" (429 per attempt, 30001 per message) before the usual handling takes over. */
export const RATE_LIMIT_RESENDS = 3;
/** How long the set of senders with an override or slow-down is cached per process (auto mode, unpaced providers). */
const SPECIAL_KEYS_TTL_MS = 2_000;
/** Dated jobs falling due within one such bucket (ms) share one wake-up. */
const NUDGE_BUCKET_MS = 25;

/** The configuration's defaults (src/config.ts), for deps built without a configuration. */
export const DEFAULT_PACING_RATES: PacingRates = { longCode: 1, tollFree: 3, shortCode: 100, messagingService: 10, email: 5 };

export interface Pacer {
  mode: PacingMode;
  rates: PacingRates;
  /** The provider is live (real Twilio / Resend): auto mode paces its senders. */
  live: { sms: boolean; email: boolean };
  /** Senders with an override or a slow-down (cached, refreshed at most every 2 s, only when needed). */
  speciallyPaced(sql: Sql): Promise<ReadonlySet<string>>;
  /** Forgets the cached set (after an override is set in this process). */
  invalidate(): void;
  /** Wakes idle workers of every process when jobs dated `inMs` from now fall due (best effort; their poll is the fallback). */
  nudgeAt(sql: Sql, inMs: number, count?: number): void;
}

export function createPacer(options: { mode: PacingMode; rates: PacingRates; live: { sms: boolean; email: boolean } }): Pacer {
  let cached: { at: number; keys: Promise<ReadonlySet<string>> } | null = null;
  const buckets = new Map<number, number>();
  let timer: { at: number; handle: NodeJS.Timeout } | null = null;
  let nudgeSql: Sql | null = null;
  const arm = () => {
    const next = Math.min(...buckets.keys());
    if (!Number.isFinite(next) || (timer && timer.at <= next)) return;
    if (timer) clearTimeout(timer.handle);
    const handle = setTimeout(fire, Math.max(0, next - Date.now()));
    handle.unref();
    timer = { at: next, handle };
  };
  const fire = () => {
    timer = null;
    const now = Date.now();
    let count = 0;
    for (const [at, n] of buckets) {
      if (at <= now) {
        count += n;
        buckets.delete(at);
      }
    }
    if (count > 0 && nudgeSql) void notifyJobsDue(nudgeSql, Math.min(count, 1000)).catch(() => undefined);
    arm();
  };
  return {
    mode: options.mode,
    rates: options.rates,
    live: options.live,
    speciallyPaced(sql) {
      const now = Date.now();
      if (!cached || now - cached.at > SPECIAL_KEYS_TTL_MS) {
        const keys = selectSpeciallyPacedKeys(sql).then((k) => new Set(k));
        cached = { at: now, keys };
        keys.catch(() => (cached = null));
      }
      return cached.keys;
    },
    invalidate() {
      cached = null;
    },
    nudgeAt(sql, inMs, count = 1) {
      nudgeSql = sql;
      // A few ms after the job's run_at: PostgreSQL's clock decides when it is due.
      const at = Math.ceil((Date.now() + Math.max(0, inMs) + 5) / NUDGE_BUCKET_MS) * NUDGE_BUCKET_MS;
      buckets.set(at, (buckets.get(at) ?? 0) + count);
      arm();
    },
  };
}

/** The kind's default rate (sends per second). */
export function defaultRate(pacer: Pacer, kind: SenderKind): number {
  switch (kind) {
    case 'long_code':
      return pacer.rates.longCode;
    case 'toll_free':
      return pacer.rates.tollFree;
    case 'short_code':
      return pacer.rates.shortCode;
    case 'messaging_service':
      return pacer.rates.messagingService;
    case 'email':
      return pacer.rates.email;
  }
}

/** Whether sends of this sender are paced: `on`, or `auto` with a live provider, or a sender with an override or slow-down. */
export async function isPaced(pacer: Pacer | undefined, sql: Sql, sender: SenderRef): Promise<boolean> {
  if (!pacer || pacer.mode === 'off') return false;
  if (pacer.mode === 'on' || pacer.live[sender.channel]) return true;
  return (await pacer.speciallyPaced(sql)).has(sender.key);
}

/** Whether any sender of this channel may be paced (false: a job without its sender need not be looked up). */
export async function mayBePaced(pacer: Pacer | undefined, sql: Sql, channel: 'sms' | 'email'): Promise<boolean> {
  if (!pacer || pacer.mode === 'off') return false;
  if (pacer.mode === 'on' || pacer.live[channel]) return true;
  return (await pacer.speciallyPaced(sql)).size > 0;
}
