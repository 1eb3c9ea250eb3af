import type { ConsentSignal } from '../../channels/types.js';
import type { MessageStatus } from '../../generated/prisma/enums.js';
import { applyDeliveryStatuses, type DeliveryStatusChange, type DeliveryStatusRow } from '../../db/sql/applyDeliveryStatuses.js';
import { pgTransaction } from '../../db/transaction.js';
import { isUniqueViolation } from '../../db/isUniqueViolation.js';
import type { Sql } from '../../db/sqlHandle.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { assertUuid } from '../ids.js';
import { statusesBefore } from './canTransition.js';

export interface UpdateDeliveryStatusInput {
  /** Only look in this business (null: any business; service keys and provider webhooks). */
  businessId?: string | null;
  /** Only look at messages of this channel (the REST routes are per channel). */
  channel?: 'sms' | 'email' | null;
  /** Name the message by Omega's id, or by the provider's id (with the provider). */
  messageId?: string | null;
  provider?: string | null;
  providerMessageId?: string | null;
  /** The neutral status (see toMessageStatus), or null to only record the report. */
  status: MessageStatus | null;
  consent?: ConsentSignal | null;
  consentReason?: string | null;
  /** The provider's own status word, kept in the event. */
  providerStatus?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  /** The provider's id of this report: a report seen before is skipped entirely (not even an event). */
  providerEventId?: string | null;
  occurredAt?: Date | null;
  source: 'api' | 'webhook' | 'worker' | 'sandbox';
  /** Message event type (default `status`; the worker records `sent` and `failed`). */
  eventType?: string;
  /** The sender the provider used, and any raw report to keep. */
  fromAddress?: string | null;
  payload?: Record<string, unknown>;
}

export interface DeliveryStatusResult {
  messageId: string;
  businessId: string;
  previousStatus: MessageStatus;
  status: MessageStatus;
  /** The status moved. A repeated or late report leaves it as it was (but is still an event). */
  changed: boolean;
  /** The provider event id was seen before: nothing was recorded. */
  duplicate: boolean;
  eventId: string | null;
}

/**
 * The one entry point for delivery reports, whoever makes them: the REST and GraphQL status
 * updates, provider webhooks, the sandbox, and the send worker itself. It applies the forward-only
 * status machine (canTransition), keeps every report as a MessageEvent, deduplicates reports by
 * provider event id, applies consent signals (STOP, bounce, complaint) to the client, and
 * publishes message.status_changed when the status moves. One statement: atomic and cheap.
 */
export async function updateDeliveryStatus(deps: Deps, input: UpdateDeliveryStatusInput): Promise<DeliveryStatusResult> {
  const receivedAt = Date.now();
  const lookup = messageLookup(deps, input);
  const status = input.status;
  const stampSent = status === 'sent' || status === 'delivered' || status === 'read';
  const failure = status === 'failed' || status === 'undelivered' || status === 'canceled';
  const eventProvider = input.provider ?? (input.providerEventId ? input.source : null);
  const change: DeliveryStatusChange = {
    lookup,
    businessId: input.businessId ?? null,
    channel: input.channel ?? null,
    status,
    allowedFrom: status ? statusesBefore(status) : [],
    stamp: { sent: stampSent, delivered: status === 'delivered' || status === 'read', read: status === 'read', failure, clearError: stampSent },
    eventType: input.eventType ?? 'status',
    provider: eventProvider,
    providerEventId: input.providerEventId ?? null,
    errorCode: input.errorCode ?? null,
    errorMessage: input.errorMessage ?? null,
    occurredAt: input.occurredAt ?? deps.clock.now(),
    payload: { source: input.source, providerStatus: input.providerStatus ?? null, ...input.payload },
    providerMessageId: 'messageId' in lookup ? (input.providerMessageId ?? null) : null,
    fromAddress: input.fromAddress ?? null,
    consent: input.consent ?? null,
    consentReason: input.consentReason ?? null,
  };
  // Reports for one business share a statement when they arrive together (group commit: the
  // business's inbox-event lock and the commit are paid once per batch). Without a known business,
  // each runs alone: one transaction must not take several businesses' locks.
  let row: DeliveryStatusRow | null;
  try {
    row = input.businessId
      ? await deps.groupCommit.submit(`status:${input.businessId}`, change, (changes) => applyAll(deps, changes), { maxWeight: 100 })
      : (await applyDeliveryStatuses(deps.sql, [change]))[0]!;
  } catch (err) {
    // The one unique index a report can meet: the provider id it gives is another message's.
    if (change.providerMessageId && isUniqueViolation(err)) {
      throw new ConflictError('PROVIDER_MESSAGE_ID_TAKEN', `provider_message_id ${JSON.stringify(change.providerMessageId)} already belongs to another message; a message has one provider id.`, {
        cause: err,
      });
    }
    throw err;
  }
  if (!row) {
    const which = 'messageId' in lookup ? lookup.messageId : `${lookup.provider} ${lookup.providerMessageId}`;
    const where = input.businessId ? ` in business ${JSON.stringify(input.businessId)}` : '';
    throw new NotFoundError('MESSAGE_NOT_FOUND', `No ${input.channel ?? ''}${input.channel ? ' ' : ''}message ${which}${where}.`);
  }
  if (input.source === 'webhook') observeWebhookLag(deps, eventProvider, input.occurredAt ?? null, receivedAt);
  if (row.direction !== 'outbound') {
    throw new ConflictError('MESSAGE_NOT_OUTBOUND', `Message ${row.id} is ${row.direction}: only outbound messages have a delivery status.`);
  }
  return {
    messageId: row.id,
    businessId: row.business_id,
    previousStatus: row.previous_status as MessageStatus,
    status: row.status as MessageStatus,
    changed: row.changed,
    duplicate: row.duplicate,
    eventId: row.event_id,
  };
}

function messageLookup(deps: Deps, input: UpdateDeliveryStatusInput): { messageId: string } | { provider: string; providerMessageId: string } {
  if (input.messageId) return { messageId: assertUuid(input.messageId, ['messageId']) };
  if (input.providerMessageId) {
    const provider = input.provider ?? (input.channel ? deps.channels[input.channel].provider : null);
    if (!provider) throw new ValidationError([{ type: 'missing', loc: ['provider'], msg: 'Name the provider of provider_message_id (twilio, resend, sandbox, ...)' }]);
    return { provider, providerMessageId: input.providerMessageId };
  }
  throw new ValidationError([{ type: 'missing', loc: ['messageId'], msg: 'Name the message: message_id, or provider_message_id (with provider)' }]);
}

/**
 * The batch in as few statements as possible: a statement may not touch one message twice (nor
 * carry two consent signals), so such reports go to a later statement, in arrival order, all in
 * one transaction.
 */
async function applyAll(deps: Deps, changes: DeliveryStatusChange[]): Promise<(DeliveryStatusRow | null)[]> {
  const rounds: { index: number; change: DeliveryStatusChange }[][] = [];
  for (const [index, change] of changes.entries()) {
    const ref = 'messageId' in change.lookup ? change.lookup.messageId : `${change.lookup.provider}:${change.lookup.providerMessageId}`;
    const fits = (round: { change: DeliveryStatusChange }[]) =>
      !round.some(({ change: c }) => ('messageId' in c.lookup ? c.lookup.messageId : `${c.lookup.provider}:${c.lookup.providerMessageId}`) === ref) &&
      !(change.consent && round.some(({ change: c }) => c.consent));
    // After the last round holding the same message, so reports for one message apply in order.
    let at = rounds.length;
    while (at > 0 && fits(rounds[at - 1]!)) at--;
    if (at === rounds.length) rounds.push([]);
    rounds[at]!.push({ index, change });
  }
  const results: (DeliveryStatusRow | null)[] = new Array<DeliveryStatusRow | null>(changes.length).fill(null);
  const applyRounds = async (sql: Sql) => {
    for (const round of rounds) {
      const rows = await applyDeliveryStatuses(
        sql,
        round.map((r) => r.change),
      );
      round.forEach((r, i) => (results[r.index] = rows[i]!));
    }
  };
  if (rounds.length === 1) await applyRounds(deps.sql);
  else await pgTransaction(deps, applyRounds);
  return results;
}

/**
 * omega_webhook_lag_seconds: a provider's report, from its event time (Resend's created_at) or,
 * without one (Twilio's status callbacks carry none), from our receipt, to its commit (now).
 */
function observeWebhookLag(deps: Deps, provider: string | null, occurredAt: Date | null, receivedAt: number): void {
  const since = occurredAt ? 'event' : 'receipt';
  const from = occurredAt ? occurredAt.getTime() : receivedAt;
  const known = provider === 'twilio' || provider === 'resend' ? provider : 'other';
  deps.metrics.webhookLag.observe({ provider: known, since }, Math.max(0, Date.now() - from) / 1000);
}
