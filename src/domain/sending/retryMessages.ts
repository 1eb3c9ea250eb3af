import type { Prisma } from '../../db/prisma.js';
import type { MessageStatus } from '../../generated/prisma/enums.js';
import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { DomainError, ValidationError } from '../errors.js';
import { assertOptionalUuid, assertUuid } from '../ids.js';
import { RETRYABLE_STATUSES, retryMessage, type RetryResult } from './retryMessage.js';

export const RETRY_BATCH_MAX = 1000;

export interface RetryMessagesInput {
  principal: Principal | null;
  businessId: string;
  /** Retry exactly these; or, without ids, the failed messages matching the filters. */
  messageIds?: string[] | null;
  filter?: {
    status?: MessageStatus[] | null;
    channel?: 'sms' | 'email' | null;
    since?: Date | null;
    until?: Date | null;
    conversationId?: string | null;
    clientId?: string | null;
    requestId?: string | null;
  } | null;
  /** At most this many (filters only; default 100, at most 1000), oldest first. */
  limit?: number | null;
}

export interface RetrySkipped {
  messageId: string;
  code: string;
  detail: string;
}

export interface RetryBatchResult {
  retried: RetryResult[];
  skipped: RetrySkipped[];
}

/**
 * Retry many failed messages, by ids or by filters. Each is retried on its own (retryMessage: new
 * job, attempts kept); one that cannot be (not failed, opted out, unknown) is reported in `skipped`
 * with the code a single retry would have answered, and does not stop the others.
 */
export async function retryMessages(deps: Deps, input: RetryMessagesInput): Promise<RetryBatchResult> {
  const ids = input.messageIds ?? null;
  if (ids) {
    if (ids.length === 0 || ids.length > RETRY_BATCH_MAX) {
      throw new ValidationError([{ type: 'too_long', loc: ['messageIds'], msg: `Give 1 to ${RETRY_BATCH_MAX} message ids` }]);
    }
    ids.forEach((id, i) => assertUuid(id, ['messageIds', i]));
  }
  const f = input.filter ?? {};
  assertOptionalUuid(f.conversationId, ['filter', 'conversationId']);
  assertOptionalUuid(f.clientId, ['filter', 'clientId']);
  const statuses = f.status?.length ? f.status : RETRYABLE_STATUSES;
  const bad = statuses.find((s) => !RETRYABLE_STATUSES.includes(s));
  if (bad) throw new ValidationError([{ type: 'enum', loc: ['filter', 'status'], msg: `Only ${RETRYABLE_STATUSES.join(' and ')} messages can be retried`, input: bad }]);
  const limit = Math.min(Math.max(input.limit ?? 100, 1), RETRY_BATCH_MAX);

  const candidates = ids
    ? [...new Set(ids)]
    : (
        await deps.prisma.message.findMany({
          where: {
            businessId: input.businessId,
            direction: 'outbound',
            channel: f.channel ? f.channel : { in: ['sms', 'email'] },
            status: { in: statuses },
            ...(f.since || f.until ? { createdAt: { ...(f.since ? { gte: f.since } : {}), ...(f.until ? { lt: f.until } : {}) } } : {}),
            ...(f.conversationId ? { conversationId: f.conversationId } : {}),
            ...(f.clientId ? { clientId: f.clientId } : {}),
            ...(f.requestId ? { requestId: f.requestId } : {}),
          } satisfies Prisma.MessageWhereInput,
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          take: limit,
          select: { id: true },
        })
      ).map((m) => m.id);

  const result: RetryBatchResult = { retried: [], skipped: [] };
  for (const messageId of candidates) {
    try {
      result.retried.push(await retryMessage(deps, { principal: input.principal, businessId: input.businessId, messageId }));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      result.skipped.push({ messageId, code: err.code, detail: err.message });
    }
  }
  return result;
}
