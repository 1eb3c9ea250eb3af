import { normalizeEmail } from '../contacts/normalizeEmail.js';
import { normalizePhone, type PhoneRegion } from '../contacts/normalizePhone.js';
import { actingStaffId } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import { assertOptionalUuid } from '../ids.js';
import { pgErrorCode } from '../../db/pgErrorCode.js';
import { queueBatch } from './queueBatch.js';
import type { NormalisedRecipient, QueueItem, QueueOutboundInput, QueueResult } from './sendRequest.js';
import { phoneRegionFor } from '../businesses/phoneRegionFor.js';
import { resolveTemplateForSend } from '../savedReplies/resolveTemplateForSend.js';

export const MAX_RECIPIENTS = 500;
const MAX_SCHEDULE_MS = 366 * 24 * 3600_000;

/**
 * Queue SMS or email to one or many recipients: the client (created on first contact) and its
 * conversation are resolved, consent is checked, and each message is stored through appendMessage
 * together with its send job (job key `send_<channel>:<messageId>`) in ONE transaction: either
 * every message and job of the request exists, or none (see queueBatch). Recipients already sent
 * to under the same request_id are returned as they are.
 */
export async function queueOutbound(deps: Deps, input: QueueOutboundInput): Promise<QueueResult> {
  const phoneRegion =
    input.channel === 'sms'
      ? await phoneRegionFor(
          deps,
          input.businessId,
          input.recipients.map((r) => r.to),
        )
      : deps.phoneRegion;
  const recipients = normaliseRecipients(input, phoneRegion);
  assertOptionalUuid(input.locationId, ['locationId']);
  assertOptionalUuid(input.authorStaffId, ['authorStaffId']);
  const authorStaffId = actingStaffId(input.principal, input.authorStaffId);
  const now = deps.clock.now();
  if (input.sendAt && input.sendAt.getTime() - now.getTime() > MAX_SCHEDULE_MS) {
    throw new ValidationError([{ type: 'value_error', loc: ['sendAt'], msg: 'send_at may be at most 366 days ahead', input: input.sendAt.toISOString() }]);
  }
  // A saved reply is read and parsed once per request; each recipient's text is rendered in the batch.
  const template =
    input.templateId != null
      ? await resolveTemplateForSend(deps.sql, {
          businessId: input.businessId,
          templateId: input.templateId,
          channel: input.channel,
          staffId: authorStaffId,
          body: input.content.body,
          subject: input.content.subject,
          bodyField: input.channel === 'sms' ? 'body' : 'text',
        })
      : null;
  // Requests for one business that arrive while its previous transaction runs share the next one
  // (group commit); each request's messages and jobs still commit together or not at all.
  const { principal: _principal, ...request } = input;
  return submitToSendBatch(deps, { input: { ...request, authorStaffId }, recipients, now, template });
}

function normaliseRecipients(input: QueueOutboundInput, phoneRegion: PhoneRegion): NormalisedRecipient[] {
  const issues: FieldIssue[] = [];
  if (input.recipients.length === 0) issues.push({ type: 'missing', loc: ['recipients'], msg: 'Name at least one recipient: to, recipients, client_id or client_external_id' });
  if (input.recipients.length > MAX_RECIPIENTS) issues.push({ type: 'too_long', loc: ['recipients'], msg: `At most ${MAX_RECIPIENTS} recipients per request` });
  const seen = new Set<string>();
  const out: NormalisedRecipient[] = [];
  input.recipients.forEach((r, i) => {
    const loc = ['recipients', i];
    let to: string | null = null;
    if (r.to != null) {
      to = input.channel === 'sms' ? normalizePhone(r.to, phoneRegion) : normalizeEmail(r.to);
      if (!to) {
        issues.push({
          type: 'value_error',
          loc: [...loc, 'to'],
          msg: input.channel === 'sms' ? 'Not a phone number (E.164, e.g. +14155550101, or a national number)' : 'Not an email address',
          input: r.to,
        });
        return;
      }
    } else if (!r.clientId && !r.clientExternalId) {
      issues.push({ type: 'missing', loc: [...loc, 'to'], msg: 'Give "to", client_id or client_external_id' });
      return;
    }
    if (r.clientId) {
      try {
        assertOptionalUuid(r.clientId, [...loc, 'clientId']);
      } catch (err) {
        issues.push(...(err as ValidationError).issues);
        return;
      }
    }
    // The same recipient named twice in one request gets one message.
    const identity = to ?? `client:${r.clientId ?? ''}:${r.clientExternalId ?? ''}`;
    if (seen.has(identity)) return;
    seen.add(identity);
    out.push({ ...r, to, loc });
  });
  if (issues.length) throw new ValidationError(issues);
  return out;
}

/**
 * At most this many recipients share one transaction (a single larger request still runs alone),
 * and at most this many transactions per business run at once. Measured with 32 concurrent
 * senders (bench/ingest.ts): small batches in a few parallel transactions beat both one big batch
 * at a time (its statements run one after another) and a transaction per request (each pays its
 * own commit).
 */
const BATCH_RECIPIENTS = 8;
const PARALLEL = 4;

/**
 * Queues one send request in its business's next group-commit transaction (see groupCommit and
 * queueBatch): a lone request runs at once; concurrent ones for the same business share a commit.
 */
export function submitToSendBatch(deps: Deps, item: QueueItem): Promise<QueueResult> {
  const businessId = item.input.businessId;
  return deps.groupCommit.submit(`send:${businessId}`, item, (items) => retryOnDeadlock(() => queueBatch(deps, businessId, items)), {
    weight: (it) => it.recipients.length,
    maxWeight: BATCH_RECIPIENTS,
    parallel: PARALLEL,
  });
}

/**
 * A safety net: the batch takes its contact locks and conversation rows in sorted order, but a
 * transaction of another path may still wait on them in another order, and PostgreSQL then aborts
 * one of the two (deadlock). Nothing of it was committed, so it is simply run again (a few times).
 */
async function retryOnDeadlock<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= attempts || !isDeadlock(err)) throw err;
    }
  }
}

/** 40P01 from pg or a raw query; Prisma's own queries report a deadlock only in their message (P2034). */
function isDeadlock(err: unknown): boolean {
  return pgErrorCode(err) === '40P01' || /deadlock/i.test(String((err as { message?: unknown })?.message));
}
