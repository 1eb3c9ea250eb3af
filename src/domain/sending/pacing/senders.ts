import { authorizeBusiness } from '../../auth/authorizeBusiness.js';
import type { Principal } from '../../auth/principal.js';
import { isSenderUsedElsewhere, selectSenderBudgets, upsertSenderRate } from '../../../db/sql/senderBudgets.js';
import type { Deps } from '../../deps.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { defaultRate, isPaced } from './pacer.js';
import { senderRefOf } from './paceSend.js';
import { parseSenderKey, type SenderKind, type SenderRef } from './senderKey.js';

export const MIN_SENDER_RATE = 0.1;
export const MAX_SENDER_RATE = 1000;

export interface SenderView {
  /** The business that asked (a sender may be shared; the view is that business's). */
  businessId: string;
  key: string;
  channel: 'sms' | 'email';
  kind: SenderKind;
  /** The configured default sender (TWILIO_MESSAGING_SERVICE_SID / TWILIO_FROM_NUMBER / OMEGA_EMAIL_FROM), shared by every business. */
  shared: boolean;
  /** The business's locations that send from it. */
  locationIds: string[];
  /** The kind's default rate (sends per second). */
  defaultRate: number;
  /** The sender's override, or null. */
  override: number | null;
  /** The rate sends get now: the override or the default, halved per slow-down level while it lasts. */
  effectiveRate: number;
  /** Whether its sends are paced now (OMEGA_PACING; auto: live providers, or an override or slow-down). */
  paced: boolean;
  /** Slow-down after a 429 or 30001: its level (0 none, n: rate / 2^n) and until when. */
  slowLevel: number;
  slowUntil: Date | null;
}

interface Found {
  sender: SenderRef;
  /** Some location uses it as the configured default (it has no sender of its own). */
  shared: boolean;
  /** Some location names it as its own (then the business may set it, even if it is also the default). */
  own: boolean;
  locationIds: string[];
}

/** The senders a business's locations send from (their own, or the shared default where they have none), with their rates. */
export async function listSenders(deps: Deps, input: { principal: Principal | null; businessId: string }): Promise<SenderView[]> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  return views(deps, input.businessId, await sendersOf(deps, input.businessId));
}

/**
 * Sets a sender's rate override (sends per second, 0.1 to 1000), or with null removes it. A business
 * may set the senders of its own locations; another sender is 404 SENDER_NOT_FOUND. The shared
 * default sender (used by every business's locations without their own) is read-only for a
 * business (403 SENDER_SHARED): only a service key may set it; so is a sender that another
 * business's locations also send from (one messaging service, one email domain): it has one rate,
 * which no one business may change for the others.
 */
export async function setSenderRate(deps: Deps, input: { principal: Principal | null; businessId: string; sender: string; ratePerSecond: number | null }): Promise<SenderView> {
  const principal = await authorizeBusiness(deps, input.principal, input.businessId);
  const rate = input.ratePerSecond;
  if (rate !== null && (!Number.isFinite(rate) || rate < MIN_SENDER_RATE || rate > MAX_SENDER_RATE)) {
    throw new ValidationError([{ type: 'value_error', loc: ['ratePerSecond'], msg: `A rate from ${MIN_SENDER_RATE} to ${MAX_SENDER_RATE} sends per second, or null for the default`, input: rate }]);
  }
  if (!parseSenderKey(input.sender)) {
    throw new ValidationError([
      { type: 'value_error', loc: ['sender'], msg: 'A sender key: sms:<E.164 number>, sms:<short code>, sms:<messaging service SID> or email:<domain>', input: input.sender.slice(0, 300) },
    ]);
  }
  const found = (await sendersOf(deps, input.businessId)).find((f) => f.sender.key === input.sender);
  if (!found) throw new NotFoundError('SENDER_NOT_FOUND', `No location of business ${JSON.stringify(input.businessId)} sends from ${JSON.stringify(input.sender)}.`);
  if (found.shared && !found.own && principal.kind !== 'service') {
    throw new ForbiddenError('SENDER_SHARED', `${input.sender} is the configured default sender, shared by every business: only a service key may set its rate.`);
  }
  // One business must not slow down another's sends: a sender that another business's locations
  // also send from (one messaging service, one email domain) is set by a service key only.
  if (principal.kind !== 'service' && (await isSenderUsedElsewhere(deps.sql, found.sender.key, input.businessId))) {
    throw new ForbiddenError('SENDER_SHARED', `${input.sender} is also used by another business's locations: only a service key may set its rate.`);
  }
  await upsertSenderRate(deps.sql, found.sender, rate);
  deps.sending.pacing?.invalidate();
  return (await views(deps, input.businessId, [found]))[0]!;
}

async function sendersOf(deps: Deps, businessId: string): Promise<Found[]> {
  const locations = await deps.prisma.location.findMany({
    where: { businessId },
    select: { id: true, messagingServiceSid: true, smsPhoneNumber: true, emailFrom: true, emailFromName: true },
    orderBy: { id: 'asc' },
  });
  const found = new Map<string, Found>();
  const add = (sender: SenderRef | null, locationId: string, own: boolean) => {
    if (!sender) return;
    const f = found.get(sender.key) ?? { sender, shared: false, own: false, locationIds: [] };
    if (own) f.own = true;
    else f.shared = true;
    if (!f.locationIds.includes(locationId)) f.locationIds.push(locationId);
    found.set(sender.key, f);
  };
  for (const l of locations) {
    const row = { location_messaging_service_sid: l.messagingServiceSid, location_sms_phone_number: l.smsPhoneNumber, location_email_from: l.emailFrom, location_email_from_name: l.emailFromName };
    add(senderRefOf(deps, { channel: 'sms', ...row }), l.id, Boolean(l.messagingServiceSid || l.smsPhoneNumber));
    add(senderRefOf(deps, { channel: 'email', ...row }), l.id, Boolean(l.emailFrom));
  }
  return [...found.values()];
}

async function views(deps: Deps, businessId: string, found: Found[]): Promise<SenderView[]> {
  const pacer = deps.sending.pacing;
  const rows = new Map(
    (
      await selectSenderBudgets(
        deps.sql,
        found.map((f) => f.sender.key),
      )
    ).map((r) => [r.key, r]),
  );
  const out: SenderView[] = [];
  for (const f of found) {
    const row = rows.get(f.sender.key);
    const base = pacer ? defaultRate(pacer, f.sender.kind) : 0;
    const override = row?.rate_per_second ?? null;
    const slowLevel = row?.slow_level ?? 0;
    out.push({
      businessId,
      key: f.sender.key,
      channel: f.sender.channel,
      kind: f.sender.kind,
      shared: f.shared && !f.own,
      locationIds: f.locationIds,
      defaultRate: base,
      override,
      effectiveRate: (override ?? base) / 2 ** slowLevel,
      paced: await isPaced(pacer, deps.sql, f.sender),
      slowLevel,
      slowUntil: row?.slow_until ?? null,
    });
  }
  return out;
}
